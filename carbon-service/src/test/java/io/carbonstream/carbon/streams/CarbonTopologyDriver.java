package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.grid.DatacenterCatalog;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Topics;
import io.carbonstream.streams.RetentionConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * carbon-service's whole topology in a {@link TopologyTestDriver}, over a fixed data-centre catalog, with its energy
 * and intensity inputs and its footprint and roll-up outputs.
 */
final class CarbonTopologyDriver implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> energyIn;
    final TestInputTopic<String, byte[]> intensityIn;
    final TestOutputTopic<String, byte[]> footprintOut;
    final TestOutputTopic<String, byte[]> rollupsOut;

    CarbonTopologyDriver(Path stateDir, String applicationId, DatacenterCatalog catalog) {
        this(stateDir, applicationId, catalog, false);
    }

    /** With {@code coalesce}, as {@code carbonstream.footprint.coalesce} sets it. */
    CarbonTopologyDriver(Path stateDir, String applicationId, DatacenterCatalog catalog, boolean coalesce) {
        TopologyProducer producer = new TopologyProducer() {
            @Override
            java.util.function.Supplier<DatacenterCatalog> datacenters() {
                return () -> catalog;
            }
        };
        producer.registry = new SimpleMeterRegistry();
        producer.retention = RetentionConfig.of(Duration.ofHours(24), 1);
        producer.coalesce = coalesce;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // task-level metrics (punctuations per task) are recorded at DEBUG only
        props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG");
        driver = new TopologyTestDriver(producer.buildTopology(StaticTables.bundled()), props);
        energyIn = driver.createInputTopic(Topics.TELEMETRY_ENERGY, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        intensityIn = driver.createInputTopic(Topics.GRID_INTENSITY, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        footprintOut = driver.createOutputTopic(Topics.CARBON_FOOTPRINT, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        rollupsOut = driver.createOutputTopic(Topics.CARBON_ROLLUPS, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    void send(EnergyEvent e) {
        energyIn.pipeInput(e.jobId(), EventJson.encode(e));
    }

    /** The latest footprint of each job published since the last read. */
    Map<String, FootprintEvent> footprints() {
        Map<String, FootprintEvent> latest = new HashMap<>();
        footprintOut.readKeyValuesToList().forEach(kv -> latest.put(kv.key, EventJson.decode(kv.value, FootprintEvent.class)));
        return latest;
    }

    @Override
    public void close() {
        driver.close();
    }
}
