package io.carbonstream.carbon.streams;

import io.carbonstream.events.EventJson;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last decoded value of each key of a store, kept by the processor that reads and writes it, so that a job's
 * next batch does not parse the JSON it just wrote. A cached value is used only when the store holds exactly the
 * bytes it was decoded from (compared byte for byte): after a restore, an aborted transaction or another writer,
 * the bytes differ and the value is decoded again. Bounded: the least recently used keys are dropped.
 */
final class Decoded<T> {

    private record Entry<T>(byte[] bytes, T value) {
    }

    private final Class<T> type;
    private final Map<String, Entry<T>> entries;

    Decoded(Class<T> type, int maxEntries) {
        this.type = type;
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<T>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The value of {@code bytes}, the store's current bytes for {@code key}; null for null. */
    T of(String key, byte[] bytes) {
        if (bytes == null) {
            entries.remove(key);
            return null;
        }
        Entry<T> e = entries.get(key);
        if (e != null && Arrays.equals(e.bytes(), bytes)) {
            return e.value();
        }
        T value = EventJson.decode(bytes, type);
        entries.put(key, new Entry<>(bytes, value));
        return value;
    }

    /** The value {@code store} holds for {@code key}, parsed only when it is not the one remembered. */
    T get(org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store, String key) {
        return of(key, store.get(key));
    }

    /** A value of a key encoded as JSON, not written yet. */
    record Encoded<T>(String key, byte[] bytes, T value) {
    }

    /** {@code value} encoded for {@code key}, to be {@link #write written} once everything else is worked out. */
    Encoded<T> encode(String key, T value) {
        return new Encoded<>(key, EventJson.encode(value), value);
    }

    /** Writes an encoded value to {@code store} and remembers it. */
    void write(org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store, Encoded<T> encoded) {
        store.put(encoded.key(), encoded.bytes());
        wrote(encoded.key(), encoded.bytes(), encoded.value());
    }

    /** Writes {@code value} to {@code store} as JSON, remembers it, and gives back the bytes written. */
    byte[] put(org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store, String key, T value) {
        Encoded<T> encoded = encode(key, value);
        write(store, encoded);
        return encoded.bytes();
    }

    /** Remembers what the processor itself writes to the store for {@code key}. */
    void wrote(String key, byte[] bytes, T value) {
        entries.put(key, new Entry<>(bytes, value));
    }
}
