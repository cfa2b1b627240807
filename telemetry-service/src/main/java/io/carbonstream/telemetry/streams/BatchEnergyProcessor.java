package io.carbonstream.telemetry.streams;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.streams.Retention;
import io.carbonstream.telemetry.catalog.CatalogSnapshot;
import io.carbonstream.telemetry.power.EnergyCalculator;
import io.carbonstream.telemetry.power.IdleGaps;
import io.carbonstream.telemetry.power.NoPowerModelException;
import io.carbonstream.telemetry.power.PowerCatalog;
import io.carbonstream.telemetry.power.UnknownHardwareException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Clock;
import java.time.Duration;

/**
 * One batch in, one energy event out (to {@link TopologyProducer#ENERGY_SINK}) with the change the batch makes to
 * its worker's idle energy ({@link IdleGaps}, intervals kept in {@link TopologyProducer#INTERVAL_STORE}), or one
 * dead letter with the reason (to {@link TopologyProducer#DEAD_LETTER_SINK}) when the batch is malformed, breaks
 * the contract, names unknown hardware, or needs the power of a profile that has none (modelled power, or idle
 * time between batches). Nothing is dropped and nothing is charged zero.
 */
final class BatchEnergyProcessor implements Processor<String, byte[], String, byte[]> {

    static final String SERVICE = "telemetry-service";
    /** Separates job, worker and start in interval keys; ids are printable ASCII, so it never occurs in them. */
    private static final String SEPARATOR = "\u0000";
    /**
     * After a worker's prefix: when it last filed an interval (wall-clock ms). '~' sorts after the digits of the
     * interval keys, so range scans over a worker's intervals never meet it.
     */
    static final String ACTIVE = "~active";
    /** After a worker's prefix: intervals ending before this (ns) may have been deleted by retention. */
    static final String EXPIRED = "~expired";
    /** The worker whose intervals the sweeper is walking, and the end of its newest one. */
    private String sweptPrefix;
    private long sweptNewestEnd;
    private final Counter lateBatches;
    private final Counter retentionDeleted;

    private final CatalogSnapshot catalog;
    private final Clock clock;
    private final Counter energyEvents;
    private final MeterRegistry registry;
    private final Duration maxIdleGap;
    private final Retention retention;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> intervals;
    private io.carbonstream.streams.StoreSweeper<Long> sweeper;
    /**
     * Per worker (key prefix), the interval with the latest start in the store, when this processor knows it: it is
     * the only writer of its partitions' intervals, so a batch that starts after it needs no range scan. Emptied on
     * every (re)initialisation, when the store may have been restored; bounded, a dropped worker is scanned again.
     */
    private final java.util.Map<String, IdleGaps.Interval> latest = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, IdleGaps.Interval> eldest) {
            return size() > 100_000;
        }
    };

    BatchEnergyProcessor(CatalogSnapshot catalog, Clock clock, MeterRegistry registry, Duration maxIdleGap,
                         Retention retention) {
        this.catalog = catalog;
        this.maxIdleGap = maxIdleGap;
        this.retention = retention;
        this.clock = clock;
        this.registry = registry;
        this.energyEvents = registry.counter("carbonstream.telemetry.energy.events");
        this.lateBatches = registry.counter("carbonstream.telemetry.beyond.retention");
        this.retentionDeleted = registry.counter("carbonstream.telemetry.retention.deleted");
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.intervals = context.getStateStore(TopologyProducer.INTERVAL_STORE);
        this.latest.clear();
        this.sweeper = new io.carbonstream.streams.StoreSweeper<>(intervals, retention.sweepEntries(), this::expired);
        context.schedule(Retention.SWEEP_EVERY, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                now -> {
                    sweptPrefix = null; // the newest interval of a worker may have changed since the last sweep
                    retentionDeleted.increment(sweeper.sweep(now));
                });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        BatchEvent batch = null;
        try {
            batch = EventJson.decode(record.value(), BatchEvent.class);
            BatchValidation.require(batch);
            EventValidation.requireKey(record.key(), batch.jobId(), "jobId");
            PowerCatalog profiles = catalog.await(Duration.ofSeconds(60));
            EnergyEvent energy = EnergyCalculator.energyOf(batch, profiles, clock.instant());
            IntervalChange change = intervalChange(batch);
            if (change.idleNanos() != 0) {
                energy = withIdle(energy, EnergyCalculator.idleJoules(EnergyCalculator.idleWatts(batch, profiles), change.idleNanos()));
            }
            // never publish what carbon-service would refuse (energy beyond the contract's bounds)
            EventValidation.require(EventValidation.energy(energy));
            byte[] out = EventJson.encode(energy);
            // filed only once everything above succeeded: a dead-lettered batch leaves no trace in the idle time
            if (change.key() != null) {
                intervals.put(change.key(), change.end());
                intervals.put(change.prefix() + ACTIVE, context.currentSystemTimeMs());
                if (change.latest()) {
                    latest.put(change.prefix(), new IdleGaps.Interval(startOf(change.key()), change.end()));
                }
            }
            context.forward(record.withKey(batch.jobId()).withValue(out), TopologyProducer.ENERGY_SINK);
            energyEvents.increment();
        } catch (InvalidEventException e) {
            deadLetter(record, e.field(), e.reason(), "invalid");
        } catch (UnknownHardwareException e) {
            deadLetter(record, e.field(), e.getMessage(), "unknown-hardware");
        } catch (NoPowerModelException e) {
            deadLetter(record, fieldNaming(batch, e.profileId()), e.getMessage(), "no-power-model");
        } catch (ArithmeticException | IllegalArgumentException | java.io.UncheckedIOException e) {
            // arithmetic or encoding the contract's bounds should have prevented: still this record's fault alone
            deadLetter(record, null, "cannot be priced: " + EventJson.withoutJavaNames(String.valueOf(e.getMessage())),
                    "unprocessable");
        }
    }

    /** Where a batch's interval goes in the store, and the change it makes to its worker's idle time. */
    private record IntervalChange(String key, long end, long idleNanos, String prefix, boolean latest) {
        static final IntervalChange SEEN = new IntervalChange(null, 0, 0, null, false);
    }

    /**
     * The change the batch's interval makes to its worker's idle time ({@link IdleGaps}), and where to file it;
     * {@link IntervalChange#SEEN} for an interval already filed (a redelivery), or for one that starts too soon
     * after intervals of its worker that {@link #expired retention} has deleted (its neighbours may be gone, so
     * its gaps cannot be known: it is charged without idle time, and not filed).
     */
    private IntervalChange intervalChange(BatchEvent batch) {
        String prefix = batch.jobId() + SEPARATOR + batch.workerId() + SEPARATOR;
        long start = nanos(batch.startedAt());
        long end = nanos(batch.endedAt());
        String key = prefix + pad(start);
        if (intervals.get(key) != null) {
            return IntervalChange.SEEN;
        }
        Long expiredBelow = intervals.get(prefix + EXPIRED);
        if (expiredBelow != null && start - maxIdleGap.toNanos() < expiredBelow) {
            lateBatches.increment();
            return IntervalChange.SEEN;
        }
        IdleGaps.Interval last = latest.get(prefix);
        if (last != null && start > last.startNanos()) {
            // in order: the worker's latest interval is the one before, and none comes after
            return new IntervalChange(key, end, IdleGaps.deltaNanos(last, new IdleGaps.Interval(start, end), null,
                    maxIdleGap.toNanos()), prefix, true);
        }
        // the neighbours the store holds: a scan of the cached store may offer an interval retention just deleted
        IdleGaps.Interval prev = null;
        try (KeyValueIterator<String, Long> it = intervals.reverseRange(prefix + pad(0), prefix + pad(start - 1))) {
            var kv = io.carbonstream.streams.LiveEntries.first(intervals, it);
            if (kv != null) {
                prev = new IdleGaps.Interval(startOf(kv.key), kv.value);
            }
        }
        IdleGaps.Interval next = null;
        try (KeyValueIterator<String, Long> it = intervals.range(prefix + pad(start + 1), prefix + pad(Long.MAX_VALUE))) {
            var kv = io.carbonstream.streams.LiveEntries.first(intervals, it);
            if (kv != null) {
                next = new IdleGaps.Interval(startOf(kv.key), kv.value);
            }
        }
        return new IntervalChange(key, end, IdleGaps.deltaNanos(prev, new IdleGaps.Interval(start, end), next, maxIdleGap.toNanos()),
                prefix, next == null);
    }

    /**
     * Retention of {@link TopologyProducer#INTERVAL_STORE}, one entry at a time as the sweeper walks it:
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
    private boolean expired(String key, Long value, long nowMs) {
        if (key.endsWith(EXPIRED)) {
            return false;
        }
        if (key.endsWith(ACTIVE)) {
            if (value >= nowMs - retention.horizon().toMillis()) {
                return false;
            }
            String prefix = key.substring(0, key.length() - ACTIVE.length());
            java.util.List<String> all = new java.util.ArrayList<>();
            long lastEnd = Long.MIN_VALUE;
            try (KeyValueIterator<String, Long> it = intervals.range(prefix + pad(0), prefix + pad(Long.MAX_VALUE))) {
                while (it.hasNext()) {
                    var kv = it.next();
                    if (kv.value != null) { // a scan of the cached store may offer a deleted entry (LiveEntries)
                        all.add(kv.key);
                        lastEnd = Math.max(lastEnd, kv.value);
                    }
                }
            }
            all.forEach(intervals::delete);
            Long marker = intervals.get(prefix + EXPIRED);
            if (!all.isEmpty() && (marker == null || marker <= lastEnd)) {
                intervals.put(prefix + EXPIRED, lastEnd + 1);
            }
            latest.remove(prefix);
            return true;
        }
        String prefix = key.substring(0, key.lastIndexOf(SEPARATOR) + 1);
        if (!prefix.equals(sweptPrefix)) {
            sweptPrefix = prefix;
            try (KeyValueIterator<String, Long> it = intervals.reverseRange(prefix + pad(0), prefix + pad(Long.MAX_VALUE))) {
                var newest = io.carbonstream.streams.LiveEntries.first(intervals, it);
                sweptNewestEnd = newest == null ? Long.MIN_VALUE : newest.value;
            }
        }
        if (value >= sweptNewestEnd - retention.horizon().toNanos()) {
            return false;
        }
        Long marker = intervals.get(prefix + EXPIRED);
        if (marker == null || marker <= value) {
            intervals.put(prefix + EXPIRED, value + 1);
        }
        return true;
    }

    /** The batch field that names a profile: the dead letter points at it. */
    private static String fieldNaming(BatchEvent batch, String profileId) {
        if (profileId.equals(batch.acceleratorType())) {
            return "acceleratorType";
        }
        if (profileId.equals(batch.cpuType())) {
            return "cpuType";
        }
        if (profileId.equals(batch.hostType())) {
            return "hostType";
        }
        return "memoryType";
    }

    private static EnergyEvent withIdle(EnergyEvent e, java.math.BigDecimal idleJoules) {
        return new EnergyEvent(e.schemaVersion(), e.eventId(), e.jobId(), e.tenant(), e.workerId(), e.step(), e.phase(),
                e.startedAt(), e.endedAt(), e.samples(), e.tokens(), e.flops(), e.acceleratorType(), e.acceleratorCount(),
                e.datacenter(), e.energyJoules().withIdle(idleJoules), e.averagePowerWatts(), e.method(), e.powerModelId(),
                e.powerModelVersion(), e.computedAt());
    }

    private static long nanos(java.time.Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static String pad(long nanos) {
        return io.carbonstream.streams.SortableKeys.zeroPadded(Math.max(0, nanos));
    }

    private static long startOf(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(SEPARATOR) + 1));
    }

    private void deadLetter(Record<String, byte[]> record, String field, String reason, String kind) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        DeadLetter letter = DeadLetter.of(SERVICE, meta == null ? null : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.key(), field, reason, record.value(), clock.instant());
        context.forward(record.withValue(EventJson.encode(letter)), TopologyProducer.DEAD_LETTER_SINK);
        registry.counter("carbonstream.telemetry.dead.letters", "reason", kind, "topic", TopologyProducer.SOURCE_TOPIC).increment();
    }
}
