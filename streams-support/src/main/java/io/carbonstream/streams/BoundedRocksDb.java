package io.carbonstream.streams;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * One memory budget for every RocksDB store of a service instance, instead of Kafka Streams' default of a 50 MiB
 * block cache and up to three 16 MiB memtables per store and partition (a service with six stores on six
 * partitions, plus standbys, could reach gigabytes off the heap as its stores fill). All stores share one LRU block
 * cache of {@code carbonstream.rocksdb.memory-mib} (64 by default) that also accounts for their memtables (at most
 * half of it: a store flushes early rather than exceed it), with index and filter blocks inside the cache, so the
 * total stays bounded however many stores, partitions and entries there are. Set with
 * {@code kafka-streams.rocksdb.config.setter=io.carbonstream.streams.BoundedRocksDb} and
 * {@code kafka-streams.carbonstream.rocksdb.memory-mib}; the pattern is the one Kafka Streams' memory management
 * documentation gives (https://kafka.apache.org/documentation/streams/developer-guide/memory-mgmt.html).
 */
@io.quarkus.runtime.annotations.RegisterForReflection // Kafka Streams makes it from its class name
public class BoundedRocksDb implements RocksDBConfigSetter {

    /** The configuration key, under {@code kafka-streams.}, of the budget in MiB. */
    public static final String MEMORY_MIB = "carbonstream.rocksdb.memory-mib";
    static final long DEFAULT_MIB = 64;
    /** Memtables get at most this share of the budget. */
    static final double WRITE_BUFFER_SHARE = 0.5;
    /** Each store's memtable size: small stores flush small files rather than hold 16 MiB each. */
    static final long MEMTABLE_BYTES = 4L * 1024 * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;
    private static long budgetBytes;

    /** The one cache and write-buffer manager of this JVM, made on first use with the first budget asked for. */
    static synchronized long shared(long bytes) {
        if (cache == null) {
            budgetBytes = bytes;
            cache = new LRUCache(bytes, -1, false, 0.1);
            writeBuffers = new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache);
        }
        return budgetBytes;
    }

    static long budgetOf(Map<String, Object> configs) {
        Object v = configs.get(MEMORY_MIB);
        long mib = v == null ? DEFAULT_MIB : Long.parseLong(v.toString().trim());
        if (mib < 8) {
            throw new IllegalArgumentException(MEMORY_MIB + " must be at least 8 (MiB), not " + mib);
        }
        return mib * 1024 * 1024;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        shared(budgetOf(configs));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store of the JVM: never closed with one of them
    }
}
