package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.grid.DatacenterCatalog;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Phase;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.carbonstream.carbon.Fixtures.intensity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code carbonstream.footprint.coalesce}: one {@code carbon.footprint} record per job and flush, with the totals that
 * one record per batch ends with.
 */
class CoalescedFootprintTopologyTest {

    @TempDir
    Path stateDir;

    static DatacenterCatalog catalog() {
        return DatacenterCatalog.of(StaticTables.bundled());
    }

    /** Ten batches of job a and five of job b, each of its own id, and every one of a's delivered twice. */
    static List<EnergyEvent> batches() {
        List<EnergyEvent> batches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            EnergyEvent a = energy("job-a", UUID.nameUUIDFromBytes(("a" + i).getBytes()), Phase.PRETRAIN, i * 10L,
                    (100 + i) + ".5", "gcp-europe-west4");
            batches.add(a);
            batches.add(a);
            if (i % 2 == 0) {
                batches.add(energy("job-b", UUID.nameUUIDFromBytes(("b" + i).getBytes()), Phase.FINETUNE, i * 10L,
                        (300 + i) + ".25", "gcp-europe-west4"));
            }
        }
        return batches;
    }

    static Map<String, FootprintEvent> run(Path dir, boolean coalesce, List<KeyValue<String, byte[]>> published) {
        try (CarbonTopologyDriver topology = new CarbonTopologyDriver(dir, "carbon-coalesce-test", catalog(), coalesce)) {
            topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON.minusSeconds(3600), null, "321.5")));
            batches().forEach(topology::send);
            published.addAll(topology.footprintOut.readKeyValuesToList());
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            List<KeyValue<String, byte[]>> flushed = topology.footprintOut.readKeyValuesToList();
            published.addAll(flushed);
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            assertEquals(List.of(), topology.footprintOut.readKeyValuesToList(), "nothing new, nothing published");
            return flushed.stream().collect(java.util.stream.Collectors.toMap(kv -> kv.key,
                    kv -> EventJson.decode(kv.value, FootprintEvent.class), (x, y) -> y));
        }
    }

    @Test
    void oneRecordPerJobAndFlushWithTheTotalsOfOnePerBatch() {
        List<KeyValue<String, byte[]>> perBatch = new ArrayList<>();
        run(stateDir.resolve("per-batch"), false, perBatch);
        assertEquals(15, perBatch.size(), "one record per counted batch, none for a duplicate");

        List<KeyValue<String, byte[]>> coalesced = new ArrayList<>();
        Map<String, FootprintEvent> latest = run(stateDir.resolve("coalesced"), true, coalesced);
        assertEquals(List.of("job-a", "job-b"), coalesced.stream().map(kv -> kv.key).sorted().toList(),
                "nothing before the flush, then one record per job");

        for (String job : List.of("job-a", "job-b")) {
            FootprintEvent last = perBatch.stream().filter(kv -> kv.key.equals(job)).reduce((x, y) -> y)
                    .map(kv -> EventJson.decode(kv.value, FootprintEvent.class)).orElseThrow();
            FootprintEvent f = latest.get(job);
            assertEquals(last.batches(), f.batches());
            assertEquals(0, last.itEnergyJoules().total().compareTo(f.itEnergyJoules().total()));
            assertEquals(last.carbonIntegral(), f.carbonIntegral());
            assertEquals(last.operationalGCo2e(), f.operationalGCo2e());
            assertEquals(last.embodiedIntegral(), f.embodiedIntegral());
            assertEquals(last.uncertainty(), f.uncertainty());
            assertEquals(last.scope2(), f.scope2());
        }
        // 10 batches of 100.5 + i J and 5 of 300.25 + i J (i even)
        assertEquals(10, latest.get("job-a").batches());
        assertEquals(0, new BigDecimal("1050").compareTo(latest.get("job-a").itEnergyJoules().total()));
        assertEquals(5, latest.get("job-b").batches());
        assertEquals(0, new BigDecimal("1521.25").compareTo(latest.get("job-b").itEnergyJoules().total()));
    }

    @Test
    void aBatchAfterTheFlushIsPublishedAtTheNextOne() {
        try (CarbonTopologyDriver topology = new CarbonTopologyDriver(stateDir, "carbon-coalesce-test", catalog(), true)) {
            topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON.minusSeconds(3600), null, "321.5")));
            topology.send(energy("job-c", UUID.nameUUIDFromBytes("c0".getBytes()), Phase.PRETRAIN, 0, "10", "gcp-europe-west4"));
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            assertEquals(1L, topology.footprints().get("job-c").batches());
            topology.driver.createInputTopic(io.carbonstream.events.Topics.TRAINING_JOBS,
                    org.apache.kafka.common.serialization.Serdes.String().serializer(),
                    org.apache.kafka.common.serialization.Serdes.ByteArray().serializer())
                    .pipeInput("job-c", EventJson.encode(new io.carbonstream.events.JobEvent(1, "job-c", "tenant-a", "c",
                            "bert-base", null, Phase.PRETRAIN, "test-gpu", 8, 1, "gcp-europe-west4", null, null, "RUNNING",
                            NOON, null)));
            assertEquals("RUNNING", FootprintTopologyTest.state(topology.footprintOut.readRecord()),
                    "a state change is published at once, coalesced or not");
            topology.send(energy("job-c", UUID.nameUUIDFromBytes("c1".getBytes()), Phase.PRETRAIN, 10, "20", "gcp-europe-west4"));
            assertTrue(topology.footprints().isEmpty(), "the second batch waits for the next flush");
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            var published = topology.footprintOut.readRecord();
            assertTrue(topology.footprintOut.isEmpty());
            // the coalesced record says its job's state too
            assertEquals("RUNNING", FootprintTopologyTest.state(published));
            FootprintEvent f = EventJson.decode(published.value(), FootprintEvent.class);
            assertEquals(2L, f.batches());
            assertEquals(0, new BigDecimal("30").compareTo(f.itEnergyJoules().total()));
        }
    }

    @Test
    void theMarksAreChangeloggedSetWithTheBatchAndClearedWithThePublication() {
        try (CarbonTopologyDriver topology = new CarbonTopologyDriver(stateDir, "carbon-coalesce-test", catalog(), true)) {
            var changelog = topology.driver.createOutputTopic("carbon-coalesce-test-"
                            + io.carbonstream.carbon.query.StoreNames.UNPUBLISHED_FOOTPRINTS_STORE + "-changelog",
                    org.apache.kafka.common.serialization.Serdes.String().deserializer(),
                    org.apache.kafka.common.serialization.Serdes.Long().deserializer());
            topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON.minusSeconds(3600), null, "321.5")));
            topology.send(energy("job-d", UUID.nameUUIDFromBytes("d0".getBytes()), Phase.PRETRAIN, 0, "12.5", "gcp-europe-west4"));
            topology.send(energy("job-d", UUID.nameUUIDFromBytes("d1".getBytes()), Phase.PRETRAIN, 10, "7.5", "gcp-europe-west4"));
            // committed with the batches: a restarted instance restores the mark and publishes the job
            var marked = changelog.readKeyValuesToList();
            assertEquals(List.of("job-d"), marked.stream().map(kv -> kv.key).toList(), "one mark for the two batches");
            assertTrue(marked.get(0).value != null);
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            assertEquals(2L, topology.footprints().get("job-d").batches());
            var cleared = changelog.readKeyValuesToList();
            assertEquals(1, cleared.size());
            assertEquals("job-d", cleared.get(0).key);
            assertEquals(null, cleared.get(0).value, "cleared in the transaction that publishes");
        }
    }

    @Test
    void aMarkRestoredIntoAnInstanceThatPublishesPerBatchIsPublishedToo() {
        try (CarbonTopologyDriver topology = new CarbonTopologyDriver(stateDir, "carbon-coalesce-test", catalog(), false)) {
            topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON.minusSeconds(3600), null, "321.5")));
            topology.send(energy("job-e", UUID.nameUUIDFromBytes("e0".getBytes()), Phase.PRETRAIN, 0, "12.5", "gcp-europe-west4"));
            assertEquals(1L, topology.footprints().get("job-e").batches(), "per batch: published at once");
            // as a coalescing run leaves it, restored from the changelog after a change of the setting
            topology.driver.<String, Long>getKeyValueStore(io.carbonstream.carbon.query.StoreNames.UNPUBLISHED_FOOTPRINTS_STORE)
                    .put("job-e", 0L);
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            FootprintEvent f = topology.footprints().get("job-e");
            assertEquals(1L, f.batches());
            assertEquals(0, new BigDecimal("12.5").compareTo(f.itEnergyJoules().total()));
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            assertTrue(topology.footprints().isEmpty(), "published once");
        }
    }
}
