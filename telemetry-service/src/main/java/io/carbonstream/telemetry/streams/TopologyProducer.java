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
 *                                     └─▶ training.batches.dlq   (malformed, invalid, unknown hardware)
 * </pre>
 */
@ApplicationScoped
public class TopologyProducer {

    static final String SOURCE = "batches";
    static final String PROCESSOR = "batch-energy";
    static final String ENERGY_SINK = "energy";
    static final String DEAD_LETTER_SINK = "dead-letters";

    @Inject
    CatalogSnapshot catalog;

    @Inject
    MeterRegistry registry;

    @Produces
    public Topology buildTopology() {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.TRAINING_BATCHES);
        topology.addProcessor(PROCESSOR, () -> new BatchEnergyProcessor(catalog, Clock.systemUTC(), registry), SOURCE);
        topology.addSink(ENERGY_SINK, Topics.TELEMETRY_ENERGY, new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, Topics.deadLetterOf(Topics.TRAINING_BATCHES), new StringSerializer(),
                new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
