package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.accounting.BatchCharge;
import io.carbonstream.carbon.accounting.Rollups;
import io.carbonstream.carbon.accounting.TimelineBucket;
import io.carbonstream.carbon.grid.DatacenterCatalog;
import io.carbonstream.carbon.grid.Ranges;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.FootprintEvent.AppliedIntensity;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.InvalidEventException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The heart of carbon-service. For each energy event: count it once (by event id), find the PUE of its data centre
 * and the grid intensity valid in that zone at the batch's own time (its midpoint), let {@link BatchCharge} work
 * out everything the batch changes, then write it: the job's running footprint (published to
 * {@code carbon.footprint}), its alerts, its timeline bucket and the roll-up deltas waiting for their owners. The
 * data centre's zone and PUE come from the catalog snapshot, the PUE that held at the batch's time. Anything that
 * cannot be charged goes to {@code telemetry.energy.dlq} with the reason.
 *
 * <p>By default every counted batch publishes the job's new footprint. Coalesced ({@code carbonstream.footprint.coalesce}),
 * a batch only marks its job in {@code unpublished-footprints}, and every {@link #FLUSH} the job's latest footprint
 * is published once and the mark removed, in one transaction: the marks are changelogged with the footprints, so a
 * counted batch's footprint is published after a crash too, and the topic's latest record per job is the same.
 */
final class FootprintProcessor implements Processor<String, byte[], String, Routed> {

    static final String SERVICE = "carbon-service";
    /**
     * How long the batches' roll-up deltas are summed per roll-up key before they go to the key's owner: one
     * repartitioned record per key and interval instead of three per batch. The sums wait in a changelogged store,
     * so they are committed with the batches that made them, exactly once.
     */
    static final Duration FLUSH = Duration.ofMillis(100);

    private final StaticTables tables;
    private final java.util.function.Supplier<DatacenterCatalog> datacenters;
    private final Clock clock;
    private final MeterRegistry registry;
    private final io.micrometer.core.instrument.Counter counted;
    private final io.micrometer.core.instrument.Counter duplicates;
    private ProcessorContext<String, Routed> context;
    private io.carbonstream.streams.IdlePunctuation flush;
    private io.carbonstream.streams.IdlePunctuation sweep;
    private KeyValueStore<String, Long> seen;
    private KeyValueStore<String, byte[]> footprints;
    private KeyValueStore<String, byte[]> intensityTimeline;
    private io.carbonstream.carbon.grid.IntensityLookups intensities;
    private KeyValueStore<String, byte[]> jobs;
    private KeyValueStore<String, byte[]> timeline;
    private KeyValueStore<String, byte[]> pendingRollups;
    private KeyValueStore<String, Long> unpublished;
    private final boolean coalesce;
    // the two stores only this service reads hold a binary form; the others hold the topics' JSON
    private final Decoded<Rollups.Delta> pendingValues = new Decoded<>(
            Decoded.Codec.of(io.carbonstream.carbon.query.StoreValues::delta, io.carbonstream.carbon.query.StoreValues::delta,
            io.carbonstream.carbon.query.StoreValues.EXPANSION));
    // what this processor last read or wrote per key, so that a job's next batch does not parse it again
    private final Decoded<FootprintEvent> footprintValues = new Decoded<>(FootprintEvent.class);
    private final Decoded<io.carbonstream.events.JobEvent> jobValues = new Decoded<>(io.carbonstream.events.JobEvent.class);
    private final Decoded<TimelineBucket> bucketValues = new Decoded<>(
            Decoded.Codec.of(io.carbonstream.carbon.query.StoreValues::bucket, io.carbonstream.carbon.query.StoreValues::bucket,
            io.carbonstream.carbon.query.StoreValues.EXPANSION));

    private final io.carbonstream.streams.Retention retention;
    private final ChargeMetrics metrics;

    FootprintProcessor(StaticTables tables, java.util.function.Supplier<DatacenterCatalog> datacenters, Clock clock,
                       MeterRegistry registry, io.carbonstream.streams.Retention retention, boolean coalesce) {
        this.tables = tables;
        this.coalesce = coalesce;
        this.retention = retention;
        this.metrics = new ChargeMetrics(registry);
        this.datacenters = datacenters;
        this.clock = clock;
        this.registry = registry;
        this.counted = registry.counter("carbonstream.carbon.batches.counted");
        this.duplicates = registry.counter("carbonstream.carbon.duplicates");
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        seen = context.getStateStore(io.carbonstream.carbon.query.StoreNames.SEEN_STORE);
        footprints = context.getStateStore(io.carbonstream.carbon.query.StoreNames.FOOTPRINT_STORE);
        intensityTimeline = context.getStateStore(io.carbonstream.carbon.query.StoreNames.INTENSITY_STORE);
        intensities = new io.carbonstream.carbon.grid.IntensityLookups(intensityTimeline);
        jobs = context.getStateStore(io.carbonstream.carbon.query.StoreNames.JOB_STORE);
        timeline = context.getStateStore(io.carbonstream.carbon.query.StoreNames.TIMELINE_STORE);
        pendingRollups = context.getStateStore(io.carbonstream.carbon.query.StoreNames.PENDING_ROLLUPS_STORE);
        unpublished = context.getStateStore(io.carbonstream.carbon.query.StoreNames.UNPUBLISHED_FOOTPRINTS_STORE);
        // marks left by a coalescing run are published whatever this run's setting, so none is ever stranded; the
        // flush runs only while something waits for it (demanded once here for what a restored store holds), so an
        // idle task commits no transaction for it
        flush = io.carbonstream.streams.IdlePunctuation.whileDemanded(context, FLUSH, now -> {
            flushRollups(now);
            publishUnpublished(now);
            return false; // both stores are empty now
        });
        flush.demand();
        // an event id is remembered for the retention horizon after it was counted (wall clock), then forgotten
        long horizonMs = retention.horizon().toMillis();
        var sweeper = new io.carbonstream.streams.StoreSweeper<Long>(seen, retention.sweepEntries(),
                (key, countedAt, now) -> countedAt < now - horizonMs);
        var forgotten = registry.counter("carbonstream.carbon.retention.deleted");
        sweep = io.carbonstream.streams.Retention.sweeping(context, now -> {
            int gone = sweeper.sweep(now);
            forgotten.increment(gone);
            return gone > 0;
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        sweep.demand();
        try {
            charge(record);
        } catch (InvalidEventException ex) {
            deadLetter(record, ex.field(), ex.reason());
        } catch (ArithmeticException | IllegalArgumentException | java.io.UncheckedIOException ex) {
            // arithmetic or encoding the contract's bounds should have prevented: still this record's fault alone
            deadLetter(record, null, "cannot be charged: " + EventJson.withoutJavaNames(String.valueOf(ex.getMessage())));
        }
    }

    private void charge(Record<String, byte[]> record) {
        EnergyEvent e = EventValidation.read(record.key(), record.value(), EnergyEvent.class, EventValidation::energy,
                EnergyEvent::jobId, "jobId");
        String seenKey = e.jobId() + "/" + e.eventId();
        if (seen.get(seenKey) != null) {
            duplicates.increment();
            return;
        }
        Instant at = BatchCharge.midpoint(e);
        DatacenterCatalog.At dc = datacenters.get().at(e.datacenter(), at).orElse(null);
        if (dc == null) {
            throw new InvalidEventException("datacenter", "unknown data centre '" + e.datacenter() + "' (or no PUE of it at " + at + ")");
        }
        AppliedIntensity applied = intensityAt(dc, at);
        if (applied == null) {
            throw new InvalidEventException("datacenter", "no grid intensity for zone " + dc.zone() + " at " + at
                    + ": no observation covers it and the zone has no static value");
        }
        FootprintEvent previous = footprintValues.get(footprints, e.jobId());
        BatchCharge charge = BatchCharge.of(e, applied, tables.embodiedGrams(e.acceleratorType()),
                tables.embodiedRange(e.acceleratorType()), previous,
                jobValues.get(jobs, e.jobId()), StaticTables.LIFETIME_SECONDS, clock.instant());
        FootprintEvent next = charge.footprint();
        // everything the batch changes is encoded before anything is written: whatever this record makes fail
        // leaves no trace, so that a dead-lettered batch is in none of the totals, never in some
        var footprint = footprintValues.encode(e.jobId(), next);
        var bucket = timelineChange(e.jobId(), charge.minute(), charge.change());
        List<Decoded.Encoded<Rollups.Delta>> pending = charge.rollupKeys().stream()
                .map(key -> pending(key, charge.change())).toList();
        footprintValues.write(footprints, footprint);
        seen.put(seenKey, context.currentSystemTimeMs());
        if (!coalesce) {
            context.forward(Routed.footprint(e.jobId(), next.jobState(), footprint.bytes(), record.timestamp(), record.headers()));
        } else if (unpublished.get(e.jobId()) == null) {
            unpublished.put(e.jobId(), context.currentSystemTimeMs());
        }
        Routed.alerts(context, record, e.jobId(), charge.alerts(), registry);
        bucketValues.write(timeline, bucket);
        pending.forEach(p -> pendingValues.write(pendingRollups, p));
        flush.demand();
        counted.increment();
        metrics.counted(e.tenant(), BatchCharge.model(next), dc.id(), dc.zone(), applied.source(), applied.gCo2ePerKWh(),
                next.facilityEnergyJoules().subtract(previous == null ? java.math.BigDecimal.ZERO : previous.facilityEnergyJoules()),
                next.operationalGCo2e().add(next.embodiedGCo2e()).subtract(previous == null ? java.math.BigDecimal.ZERO
                        : previous.operationalGCo2e().add(previous.embodiedGCo2e())),
                context.currentSystemTimeMs() - e.endedAt().toEpochMilli());
    }

    /** What waits for the roll-up key's owner once the batch's change is added to it. */
    private Decoded.Encoded<Rollups.Delta> pending(String rollupKey, Rollups.Delta change) {
        Rollups.Delta waiting = pendingValues.get(pendingRollups, rollupKey);
        return pendingValues.encode(rollupKey, waiting == null ? change : waiting.plus(change));
    }

    /** Sends every roll-up key's summed delta to its owner, in the same transaction that empties the store. */
    private void flushRollups(long now) {
        java.util.List<org.apache.kafka.streams.KeyValue<String, byte[]>> waiting = new java.util.ArrayList<>();
        try (var it = pendingRollups.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) { // a scan of the cached store may offer a key deleted since the commit
                    waiting.add(kv);
                }
            });
        }
        for (var kv : waiting) {
            // the repartition topic carries the delta as JSON, as every version has read it
            Rollups.Delta delta = pendingValues.of(kv.key, kv.value);
            context.forward(new Record<>(kv.key, Routed.rollupDelta(EventJson.encode(delta)), now));
            pendingRollups.delete(kv.key);
            pendingValues.of(kv.key, null);
        }
    }

    /** Publishes the latest footprint of each job marked since the last flush, in the transaction that clears the marks. */
    private void publishUnpublished(long now) {
        java.util.List<String> marked = new java.util.ArrayList<>();
        try (var it = unpublished.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) { // as above: the cached store's scan may offer a deleted key
                    marked.add(kv.key);
                }
            });
        }
        for (String jobId : marked) {
            byte[] latest = footprints.get(jobId);
            if (latest != null) {
                context.forward(Routed.footprint(jobId, footprintValues.of(jobId, latest).jobState(), latest, now, null));
            }
            unpublished.delete(jobId);
        }
    }

    /** The job's bucket of the minute the batch's midpoint falls in, once the batch's change is added to it. */
    private Decoded.Encoded<TimelineBucket> timelineChange(String jobId, Instant minute, Rollups.Delta change) {
        String key = io.carbonstream.carbon.query.StoreNames.timelineKey(jobId, minute);
        TimelineBucket bucket = bucketValues.get(timeline, key);
        return bucketValues.encode(key, (bucket == null ? TimelineBucket.empty(minute) : bucket).plus(change));
    }

    /**
     * The observation valid for the zone at {@code at}, else the zone's static annual average, else null; each with
     * the range of its PUE and of its intensity ({@link io.carbonstream.carbon.grid.Ranges}).
     */
    private AppliedIntensity intensityAt(DatacenterCatalog.At dc, Instant at) {
        return intensities.find(dc.zone(), at)
                .map(g -> {
                    IntensityBasis basis = IntensityBasis.of(g.source(), g.estimated(), g.forecast());
                    return new AppliedIntensity(dc.id(), dc.zone(), dc.pue(), g.gCo2ePerKWh(), g.source(), g.validFrom(),
                            dc.pueBounds(), Ranges.intensity(g.gCo2ePerKWh(), basis), basis, dc.market());
                })
                .or(() -> tables.annualIntensity(dc.zone()).map(g -> new AppliedIntensity(dc.id(), dc.zone(), dc.pue(),
                        g, GridIntensityEvent.Source.STATIC_TABLE, null, dc.pueBounds(), tables.annualRange(dc.zone(), g),
                        IntensityBasis.STATIC, dc.market())))
                .orElse(null);
    }

    private void deadLetter(Record<String, byte[]> record, String field, String reason) {
        context.forward(record.withValue(Routed.deadLetter(context, record.key(), record.value(), field, reason,
                clock.instant(), registry)));
    }
}
