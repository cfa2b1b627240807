package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.query.StoreNames;

import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;

/**
 * The flow of carbon-service, exactly once (Kafka Streams {@code exactly_once_v2}):
 * <pre>
 *   grid.intensity ──▶ intensity-timeline (global store, zone|validFrom)
 *                                │ lookup at the batch's time
 *   telemetry.energy ──▶ footprint ──▶ carbon.footprint        (running totals per job: per batch, or coalesced)
 *                          │  └─────▶ telemetry.energy.dlq    (malformed, unknown data centre)
 *                          └ stores: seen-batches (event ids counted, kept for the retention horizon), footprints (per job), jobs, timeline,
 *                                    pending-rollups, unpublished-footprints (jobs to publish at the next flush, when coalesced)
 *   training.jobs ────▶ jobs ───────▶ carbon.footprint        (the job's state and projection when it changes)
 *                          └───────▶ training.jobs.dlq       (not a valid job description)
 *   footprint ──(per-batch deltas, repartitioned by TENANT|name, MODEL|name)──▶ rollups ──▶ carbon.rollups
 *   footprint, jobs, rollups (TENANT_MONTH) ──▶ carbon.alerts    (a budget threshold crossed, once)
 *   carbon.budgets ──▶ tenant-budgets (global store)
 * </pre>
 */
@ApplicationScoped
public class TopologyProducer {

    @Inject
    MeterRegistry registry;

    /** carbonstream.retention.*; a topology built without CDI (unit tests) keeps the defaults or sets its own. */
    @Inject
    io.carbonstream.streams.RetentionConfig retention = io.carbonstream.streams.RetentionConfig.of(java.time.Duration.ofHours(24), 2000);

    @Inject
    io.carbonstream.carbon.grid.DatacenterRepository datacenterRepository;

    /**
     * carbonstream.footprint.coalesce: publish each job's footprint at most once per flush interval (100 ms), its
     * latest totals, instead of once per counted batch (docs/events.md); off by default.
     */
    @Inject
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "carbonstream.footprint.coalesce", defaultValue = "false")
    boolean coalesce = false;

    /** Data centres as the processor sees them: the PostgreSQL snapshot, or a fixed catalog in unit tests. */
    java.util.function.Supplier<io.carbonstream.carbon.grid.DatacenterCatalog> datacenters() {
        return () -> datacenterRepository.await(java.time.Duration.ofSeconds(60));
    }

    @Produces
    @ApplicationScoped
    StaticTables staticTables() {
        return StaticTables.bundled();
    }

    @Produces
    public Topology buildTopology(StaticTables tables) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INTENSITY_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                Topics.GRID_INTENSITY, Consumed.with(Serdes.String(), Serdes.ByteArray()), IntensityStoreUpdater::new);
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.BUDGET_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                Topics.CARBON_BUDGETS, Consumed.with(Serdes.String(), Serdes.ByteArray()), BudgetStoreUpdater::new);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEEN_STORE), Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.FOOTPRINT_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.JOB_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());

        // training.jobs and telemetry.energy share their stores, so they must have the same partition count.
        builder.stream(Topics.TRAINING_JOBS, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new JobProcessor(Clock.systemUTC(), registry), StoreNames.JOB_STORE, StoreNames.FOOTPRINT_STORE)
                .to((key, routed, context) -> routed.topic(), Produced.with(Serdes.String(), Routed.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ROLLUP_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.BUDGET_ALERTED_STORE),
                Serdes.String(), Serdes.Integer()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.TIMELINE_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.PENDING_ROLLUPS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        // present whatever the setting, so that turning coalescing on or off leaves the topology as it is
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.UNPUBLISHED_FOOTPRINTS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        boolean coalesced = coalesce;
        var charged = builder.stream(Topics.TELEMETRY_ENERGY, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new FootprintProcessor(tables, datacenters(), Clock.systemUTC(), registry,
                        retention.retention(), coalesced), StoreNames.SEEN_STORE, StoreNames.FOOTPRINT_STORE, StoreNames.JOB_STORE,
                        StoreNames.TIMELINE_STORE, StoreNames.PENDING_ROLLUPS_STORE, StoreNames.UNPUBLISHED_FOOTPRINTS_STORE);
        var outputs = charged.split(Named.as("charged-"))
                .branch((key, routed) -> routed.isRollupDelta(), Branched.as("rollup-deltas"))
                .defaultBranch(Branched.as("topics"));
        outputs.get("charged-topics")
                .to((key, routed, context) -> routed.topic(), Produced.with(Serdes.String(), Routed.serde()));
        // the batches' deltas, summed per roll-up key (TENANT|name, MODEL|name, TENANT_MODEL|tenant model) for up to
        // FootprintProcessor.FLUSH, then added exactly once by the key's owner
        outputs.get("charged-rollup-deltas")
                .mapValues(Routed::payload)
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("rollup-deltas"))
                .process(() -> new RollupProcessor(Clock.systemUTC(), registry), StoreNames.ROLLUP_STORE,
                        StoreNames.BUDGET_ALERTED_STORE)
                .to((key, routed, context) -> routed.topic(), Produced.with(Serdes.String(), Routed.serde()));
        return builder.build();
    }
}
