package io.carbonstream.streams;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks a key-value store a few thousand entries at a time, from where the last call stopped, and deletes what
 * {@link Expiry} says has expired; after the last key it starts again at the first. Called from a wall-clock
 * punctuator, so the deletes (and their changelog tombstones) commit in the task's transaction like any other
 * write, and a store of any size is walked without one long pause: {@code budget} entries per call, a full pass
 * over N entries every N / budget calls.
 *
 * <p>The position lives only in memory: after a restart or a rebalance the walk starts again at the first key,
 * which only makes the first pass later.
 */
public final class StoreSweeper<V> {

    /** Decides, per entry, whether it goes. */
    @FunctionalInterface
    public interface Expiry<V> {
        /**
         * @param key   the entry's key
         * @param value its value
         * @param nowMs the task's wall-clock time
         * @return true to delete the entry
         */
        boolean expired(String key, V value, long nowMs);
    }

    private final KeyValueStore<String, V> store;
    private final Expiry<V> expiry;
    private final int budget;
    /** The first key the next call reads (null: from the store's first key). */
    private String from;
    private long deleted;
    private long passes;

    public StoreSweeper(KeyValueStore<String, V> store, int budget, Expiry<V> expiry) {
        if (budget < 1) {
            throw new IllegalArgumentException("a sweep must read at least one entry, not " + budget);
        }
        this.store = store;
        this.budget = budget;
        this.expiry = expiry;
    }

    /**
     * Reads up to {@code budget} entries from where the last call stopped and deletes the expired ones.
     *
     * @return how many it deleted
     */
    public int sweep(long nowMs) {
        List<KeyValue<String, V>> read = new ArrayList<>(Math.min(budget, 4096));
        String began = from;
        if (!read(began, null, read)) {
            from = read.get(read.size() - 1).key + '\u0000'; // the least key after the last one read
        } else {
            passes++;
            from = null;
            if (began != null && !read(null, began, read)) {
                // the end came before the budget ran out, so the walk went on from the first key
                from = read.get(read.size() - 1).key + '\u0000';
            } else {
                from = began;
            }
        }
        // deleted after the iterators are closed: the store's cache and RocksDB then see plain deletes
        int gone = 0;
        for (KeyValue<String, V> kv : read) {
            if (kv.value != null && expiry.expired(kv.key, kv.value, nowMs)) {
                store.delete(kv.key);
                gone++;
            }
        }
        deleted += gone;
        return gone;
    }

    /**
     * Adds entries from {@code first} on to {@code into} until it holds the budget.
     *
     * @return true when the store ended, or a key at or after {@code stop} came, before the budget was spent
     */
    private boolean read(String first, String stop, List<KeyValue<String, V>> into) {
        try (KeyValueIterator<String, V> it = store.range(first, null)) {
            while (into.size() < budget) {
                if (!it.hasNext()) {
                    return true;
                }
                KeyValue<String, V> kv = it.next();
                if (stop != null && kv.key.compareTo(stop) >= 0) {
                    return true;
                }
                into.add(kv);
            }
            return false;
        }
    }

    /** Entries deleted since this sweeper was made. */
    public long deleted() {
        return deleted;
    }

    /** Full passes over the store completed since this sweeper was made. */
    public long passes() {
        return passes;
    }
}
