package io.carbonstream.streams;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scans of a caching key-value store that see only what the store holds. Kafka Streams 4.1's merge of a store's
 * record cache with RocksDB skips deleted cache entries by comparing keys in ascending order whatever the direction,
 * so a reverse range over a caching store can return a key deleted since the last commit with a null value (when
 * the deleted key was never flushed and sorts after RocksDB's next key), or a deleted key with its old value. In
 * telemetry-service that was a batch of a long run, arriving out of order just after retention deleted an interval
 * of its worker: the null became a NullPointerException, and the batch a dead letter. Each entry a scan offers is
 * checked with {@code get}, which the cache answers correctly; the first one the store holds is the answer.
 */
public final class LiveEntries {

    private LiveEntries() {
    }

    /**
     * The first entry of {@code scan} that {@code store} holds, with the value it holds; null when there is none.
     * The caller opens and closes the scan.
     */
    public static <V> KeyValue<String, V> first(KeyValueStore<String, V> store, KeyValueIterator<String, V> scan) {
        while (scan.hasNext()) {
            KeyValue<String, V> kv = scan.next();
            V held = kv.value == null ? null : store.get(kv.key);
            if (held != null) {
                return KeyValue.pair(kv.key, held);
            }
        }
        return null;
    }
}
