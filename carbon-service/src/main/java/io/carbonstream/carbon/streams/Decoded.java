package io.carbonstream.carbon.streams;

import io.carbonstream.events.EventJson;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The last decoded value of each key of a store, kept by the processor that reads and writes it, so that a job's
 * next batch does not parse the JSON it just wrote. A cached value is used only when the store holds exactly the
 * bytes it was decoded from (compared byte for byte): after a restore, an aborted transaction or another writer,
 * the bytes differ and the value is decoded again.
 *
 * <p>Bounded by memory, not by keys: all the caches of the JVM (every store of every task, and an instance holds
 * as many tasks as it has partitions) share one {@link Shared budget}, an eighth of the heap up to 64 MiB, and the
 * least recently used entries of any cache go first. With a bound of 4096 keys per cache instead, an instance of
 * six tasks could keep 120,000 decoded values, more than its 192 MiB heap holds once a few thousand jobs had run,
 * and it spent its time collecting garbage (docs/performance.md, memory).
 */
final class Decoded<T> {

    private record Entry<T>(byte[] bytes, T value, int expansion) {
    }

    /** A key of one cache in the shared map. */
    private record Slot(int cache, String key) {
    }

    /** The entries of every cache, least recently used first, and an estimate of the heap they hold. */
    static final class Shared {
        private static final AtomicInteger CACHES = new AtomicInteger();
        private final LinkedHashMap<Slot, Entry<?>> entries = new LinkedHashMap<>(1024, 0.75f, true);
        private final long maxWeight;
        private long weight;

        Shared(long maxWeight) {
            this.maxWeight = maxWeight;
        }

        /** The budget of a JVM whose heap may grow to {@code maxHeap} bytes: an eighth of it, at most 64 MiB. */
        static long budgetOf(long maxHeap) {
            return Math.min(64L << 20, maxHeap / 8);
        }

        /**
         * What an entry costs the heap, roughly: the stored JSON, and the decoded value, which with its
         * {@code BigDecimal}s, maps and strings takes about three times the JSON's bytes; the key (UTF-16 at
         * worst); the map's node, the slot and the entry.
         */
        static long weight(String key, byte[] bytes) {
            return weight(key, bytes, Codec.JSON_EXPANSION);
        }

        /** The same for a value whose decoded form takes about {@code expansion} times its stored bytes. */
        static long weight(String key, byte[] bytes, int expansion) {
            return (1L + expansion) * bytes.length + 2L * key.length() + 128;
        }

        private static long weight(Slot slot, Entry<?> entry) {
            return weight(slot.key(), entry.bytes(), entry.expansion());
        }

        synchronized Entry<?> get(Slot slot) {
            return entries.get(slot);
        }

        /** Files an entry, then drops the least recently used ones (never this one) until the budget holds. */
        synchronized void put(Slot slot, Entry<?> entry) {
            Entry<?> old = entries.put(slot, entry);
            weight += weight(slot, entry) - (old == null ? 0 : weight(slot, old));
            var it = entries.entrySet().iterator();
            while (weight > maxWeight && it.hasNext()) {
                var eldest = it.next();
                if (eldest.getKey().equals(slot)) {
                    break;
                }
                weight -= weight(eldest.getKey(), eldest.getValue());
                it.remove();
            }
        }

        synchronized void remove(Slot slot) {
            Entry<?> old = entries.remove(slot);
            if (old != null) {
                weight -= weight(slot, old);
            }
        }

        synchronized long weight() {
            return weight;
        }

        synchronized int size() {
            return entries.size();
        }
    }

    /** The budget every cache of this JVM shares. */
    static final Shared JVM = new Shared(Shared.budgetOf(Runtime.getRuntime().maxMemory()));

    /** How a store's values are read from and written to bytes. */
    interface Codec<T> {
        /** How many times its JSON's bytes a decoded value takes on the heap, with its decimals, maps and strings. */
        int JSON_EXPANSION = 3;

        T read(byte[] bytes);

        byte[] write(T value);

        /** How many times its stored bytes a decoded value takes on the heap. */
        default int expansion() {
            return JSON_EXPANSION;
        }

        /** The contract's JSON ({@link EventJson}), as the topics carry it. */
        static <T> Codec<T> json(Class<T> type) {
            return of(bytes -> EventJson.decode(bytes, type), EventJson::encode, JSON_EXPANSION);
        }

        static <T> Codec<T> of(java.util.function.Function<byte[], T> read, java.util.function.Function<T, byte[]> write,
                               int expansion) {
            return new Codec<>() {
                @Override
                public int expansion() {
                    return expansion;
                }

                @Override
                public T read(byte[] bytes) {
                    return read.apply(bytes);
                }

                @Override
                public byte[] write(T value) {
                    return write.apply(value);
                }
            };
        }
    }

    private final Codec<T> codec;
    private final Shared shared;
    private final int id = Shared.CACHES.incrementAndGet();

    /** Values stored as the contract's JSON. */
    Decoded(Class<T> type) {
        this(Codec.json(type), JVM);
    }

    Decoded(Codec<T> codec) {
        this(codec, JVM);
    }

    Decoded(Class<T> type, Shared shared) {
        this(Codec.json(type), shared);
    }

    Decoded(Codec<T> codec, Shared shared) {
        this.codec = codec;
        this.shared = shared;
    }

    /** The value of {@code bytes}, the store's current bytes for {@code key}; null for null. */
    T of(String key, byte[] bytes) {
        Slot slot = new Slot(id, key);
        if (bytes == null) {
            shared.remove(slot);
            return null;
        }
        @SuppressWarnings("unchecked")
        Entry<T> e = (Entry<T>) shared.get(slot);
        if (e != null && Arrays.equals(e.bytes(), bytes)) {
            return e.value();
        }
        T value = codec.read(bytes);
        shared.put(slot, new Entry<>(bytes, value, codec.expansion()));
        return value;
    }

    /** The value {@code store} holds for {@code key}, parsed only when it is not the one remembered. */
    T get(org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store, String key) {
        return of(key, store.get(key));
    }

    /** A value of a key encoded, not written yet. */
    record Encoded<T>(String key, byte[] bytes, T value) {
    }

    /** {@code value} encoded for {@code key}, to be {@link #write written} once everything else is worked out. */
    Encoded<T> encode(String key, T value) {
        return new Encoded<>(key, codec.write(value), value);
    }

    /** Writes an encoded value to {@code store} and remembers it. */
    void write(org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store, Encoded<T> encoded) {
        store.put(encoded.key(), encoded.bytes());
        wrote(encoded.key(), encoded.bytes(), encoded.value());
    }

    /** Writes {@code value} to {@code store}, remembers it, and gives back the bytes written. */
    byte[] put(org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store, String key, T value) {
        Encoded<T> encoded = encode(key, value);
        write(store, encoded);
        return encoded.bytes();
    }

    /** Remembers what the processor itself writes to the store for {@code key}. */
    void wrote(String key, byte[] bytes, T value) {
        shared.put(new Slot(id, key), new Entry<>(bytes, value, codec.expansion()));
    }
}
