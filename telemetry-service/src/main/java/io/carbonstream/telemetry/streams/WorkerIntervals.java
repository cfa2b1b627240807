package io.carbonstream.telemetry.streams;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.streams.LiveEntries;
import io.carbonstream.streams.Retention;
import io.carbonstream.streams.SortableKeys;
import io.carbonstream.telemetry.power.IdleGaps;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each worker's batch intervals, the state behind idle-time accounting ({@link IdleGaps}), in
 * {@link TopologyProducer#INTERVAL_STORE}: the key scheme, the markers, the cache of each worker's latest interval
 * and retention, in one place.
 * <ul>
 *   <li>An interval: key {@code job NUL worker NUL start} (start in ns since the epoch, zero-padded so that keys sort
 *       by time), value its end (ns).</li>
 *   <li>{@code job NUL worker NUL ~active}: when the worker last filed an interval (wall-clock ms).</li>
 *   <li>{@code job NUL worker NUL ~expired}: intervals of the worker ending before this (ns) may have been deleted.</li>
 * </ul>
 * '~' sorts after the digits of the interval keys, so range scans over a worker's intervals never meet a marker.
 */
final class WorkerIntervals {

    /** Separates job, worker and start in interval keys; ids are printable ASCII, so it never occurs in them. */
    private static final String SEPARATOR = "\u0000";
    /** After a worker's prefix: when it last filed an interval (wall-clock ms). */
    static final String ACTIVE = "~active";
    /** After a worker's prefix: intervals ending before this (ns) may have been deleted by retention. */
    static final String EXPIRED = "~expired";

    private final KeyValueStore<String, Long> store;
    private final Duration maxIdleGap;
    private final Retention retention;
    private final Counter lateBatches;
    /**
     * Per worker (key prefix), the interval with the latest start in the store, when this processor knows it: it is
     * the only writer of its partitions' intervals, so a batch that starts after it needs no range scan. New with
     * every (re)initialisation, when the store may have been restored; bounded, a dropped worker is scanned again.
     */
    private final Map<String, IdleGaps.Interval> latest = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IdleGaps.Interval> eldest) {
            return size() > 100_000;
        }
    };
    /** The worker whose intervals the sweeper is walking, and the end of its newest one. */
    private String sweptPrefix;
    private long sweptNewestEnd;

    /**
     * @param lateBatches counts the batches charged without idle time because retention may have deleted their
     *                    neighbours
     */
    WorkerIntervals(KeyValueStore<String, Long> store, Duration maxIdleGap, Retention retention, Counter lateBatches) {
        this.store = store;
        this.maxIdleGap = maxIdleGap;
        this.retention = retention;
        this.lateBatches = lateBatches;
    }

    /** Where a batch's interval goes in the store, and the change it makes to its worker's idle time. */
    record Change(String key, long end, long idleNanos, String prefix, boolean latest) {
        /** Nothing to file, no idle change: an interval already filed. */
        static final Change NONE = new Change(null, 0, 0, null, false);
        /** Nothing to file, no idle change: an interval too close to intervals that retention may have deleted. */
        static final Change LATE = new Change(null, 0, 0, null, false);
    }

    /**
     * The change the batch's interval makes to its worker's idle time ({@link IdleGaps}), and where to file it;
     * {@link Change#NONE} for an interval already filed (a redelivery), {@link Change#LATE} for one that starts too
     * soon after intervals of its worker that {@link #expired retention} has deleted (its neighbours may be gone, so
     * its gaps cannot be known: it is charged without idle time, and not filed). Reads only: {@link #file} writes.
     */
    Change change(BatchEvent batch) {
        String prefix = batch.jobId() + SEPARATOR + batch.workerId() + SEPARATOR;
        long start = nanos(batch.startedAt());
        long end = nanos(batch.endedAt());
        String key = prefix + pad(start);
        if (store.get(key) != null) {
            return Change.NONE;
        }
        Long expiredBelow = store.get(prefix + EXPIRED);
        if (expiredBelow != null && start - maxIdleGap.toNanos() < expiredBelow) {
            return Change.LATE;
        }
        IdleGaps.Interval last = latest.get(prefix);
        if (last != null && start > last.startNanos()) {
            // in order: the worker's latest interval is the one before, and none comes after
            return new Change(key, end, IdleGaps.deltaNanos(last, new IdleGaps.Interval(start, end), null,
                    maxIdleGap.toNanos()), prefix, true);
        }
        // the neighbours the store holds: a scan of the cached store may offer an interval retention just deleted
        IdleGaps.Interval prev = null;
        try (KeyValueIterator<String, Long> it = store.reverseRange(prefix + pad(0), prefix + pad(start - 1))) {
            var kv = LiveEntries.first(store, it);
            if (kv != null) {
                prev = new IdleGaps.Interval(startOf(kv.key), kv.value);
            }
        }
        IdleGaps.Interval next = null;
        try (KeyValueIterator<String, Long> it = store.range(prefix + pad(start + 1), prefix + pad(Long.MAX_VALUE))) {
            var kv = LiveEntries.first(store, it);
            if (kv != null) {
                next = new IdleGaps.Interval(startOf(kv.key), kv.value);
            }
        }
        return new Change(key, end, IdleGaps.deltaNanos(prev, new IdleGaps.Interval(start, end), next, maxIdleGap.toNanos()),
                prefix, next == null);
    }

    /**
     * Once its batch is charged: files the interval and marks its worker active at {@code nowMs}; counts a
     * {@link Change#LATE} one; nothing for {@link Change#NONE}.
     */
    void file(Change change, long nowMs) {
        if (change == Change.LATE) {
            lateBatches.increment();
        }
        if (change.key() == null) {
            return;
        }
        store.put(change.key(), change.end());
        store.put(change.prefix() + ACTIVE, nowMs);
        if (change.latest()) {
            latest.put(change.prefix(), new IdleGaps.Interval(startOf(change.key()), change.end()));
        }
    }

    /** Before each sweep: the newest interval of a worker may have changed since the last one. */
    void sweepStarts() {
        sweptPrefix = null;
    }

    /**
     * Retention, one entry at a time as the sweeper walks the store (true: delete {@code key}):
     * <ul>
     *   <li>a worker silent (no new interval) for the horizon, by the wall clock: all its intervals go, and its
     *       {@link #EXPIRED} marker rises past the end of the last of them;</li>
     *   <li>an interval that ended more than the horizon before its worker's newest interval ended (event time,
     *       so a replay of an old run keeps its own): it goes, and the worker's {@link #EXPIRED} marker rises past
     *       its end.</li>
     * </ul>
     * A later batch that starts less than the idle gap limit after a marker is charged without idle time: an
     * interval it could border may be gone. Markers of silent workers stay: one small entry per worker.
     */
    boolean expired(String key, Long value, long nowMs) {
        if (key.endsWith(EXPIRED)) {
            return false;
        }
        if (key.endsWith(ACTIVE)) {
            if (value >= nowMs - retention.horizon().toMillis()) {
                return false;
            }
            String prefix = key.substring(0, key.length() - ACTIVE.length());
            List<String> all = new ArrayList<>();
            long lastEnd = Long.MIN_VALUE;
            try (KeyValueIterator<String, Long> it = store.range(prefix + pad(0), prefix + pad(Long.MAX_VALUE))) {
                while (it.hasNext()) {
                    var kv = it.next();
                    if (kv.value != null) { // a scan of the cached store may offer a deleted entry (LiveEntries)
                        all.add(kv.key);
                        lastEnd = Math.max(lastEnd, kv.value);
                    }
                }
            }
            all.forEach(store::delete);
            raiseExpired(prefix, all.isEmpty() ? null : lastEnd);
            latest.remove(prefix);
            return true;
        }
        String prefix = key.substring(0, key.lastIndexOf(SEPARATOR) + 1);
        if (!prefix.equals(sweptPrefix)) {
            sweptPrefix = prefix;
            try (KeyValueIterator<String, Long> it = store.reverseRange(prefix + pad(0), prefix + pad(Long.MAX_VALUE))) {
                var newest = LiveEntries.first(store, it);
                sweptNewestEnd = newest == null ? Long.MIN_VALUE : newest.value;
            }
        }
        if (value >= sweptNewestEnd - retention.horizon().toNanos()) {
            return false;
        }
        raiseExpired(prefix, value);
        return true;
    }

    /** Raises the worker's {@link #EXPIRED} marker past {@code deletedEnd} (none deleted: null). */
    private void raiseExpired(String prefix, Long deletedEnd) {
        if (deletedEnd == null) {
            return;
        }
        Long marker = store.get(prefix + EXPIRED);
        if (marker == null || marker <= deletedEnd) {
            store.put(prefix + EXPIRED, deletedEnd + 1);
        }
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static String pad(long nanos) {
        return SortableKeys.zeroPadded(Math.max(0, nanos));
    }

    private static long startOf(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(SEPARATOR) + 1));
    }
}
