package io.carbonstream.telemetry.streams;

import io.carbonstream.events.Topics;
import io.carbonstream.telemetry.catalog.CatalogSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;

import java.time.Clock;

/**
 * The flow of telemetry-service, exactly once (Kafka Streams {@code exactly_once_v2}):
 * <pre>
 *   training.batches ──▶ batch-energy ──▶ telemetry.energy
 *                          │          └─▶ training.batches.dlq   (malformed, invalid, unknown hardware, no power model)
 *                          └ store: worker-intervals (for idle time between batches; swept, see Retention)
 * </pre>
 */
@ApplicationScoped
public class TopologyProducer {

    static final String SOURCE = "batches";
    static final String SOURCE_TOPIC = io.carbonstream.events.Topics.TRAINING_BATCHES;
    static final String PROCESSOR = "batch-energy";
    static final String ENERGY_SINK = "energy";
    static final String DEAD_LETTER_SINK = "dead-letters";
    /** Each worker's batch intervals, keyed job, worker, start: the state behind idle-time accounting. */
    static final String INTERVAL_STORE = "worker-intervals";

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "carbonstream.idle.max-gap", defaultValue = "5M")
    java.time.Duration maxIdleGap;

    /** carbonstream.retention.*; a topology built without CDI (unit tests) keeps the defaults or sets its own. */
    @Inject
    io.carbonstream.streams.RetentionConfig retention = io.carbonstream.streams.RetentionConfig.of(java.time.Duration.ofHours(24), 2000);

    @Inject
    CatalogSnapshot catalog;

    @Inject
    MeterRegistry registry;

    @Produces
    public Topology buildTopology() {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.TRAINING_BATCHES);
        io.carbonstream.streams.Retention kept = retention.retention();
        topology.addProcessor(PROCESSOR, () -> new BatchEnergyProcessor(catalog, Clock.systemUTC(), registry, maxIdleGap,
                kept), SOURCE);
        // cached: a worker's ACTIVE marker is written with each of its batches, and reaches the changelog once a commit
        topology.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(INTERVAL_STORE),
                org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.Long())
                .withCachingEnabled(), PROCESSOR);
        topology.addSink(ENERGY_SINK, Topics.TELEMETRY_ENERGY, new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, Topics.deadLetterOf(Topics.TRAINING_BATCHES), new StringSerializer(),
                new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
