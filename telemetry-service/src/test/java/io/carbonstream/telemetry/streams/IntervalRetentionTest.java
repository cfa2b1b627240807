package io.carbonstream.telemetry.streams;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.carbonstream.telemetry.catalog.CatalogSnapshot;
import io.carbonstream.telemetry.power.HardwareKind;
import io.carbonstream.telemetry.power.HardwareProfile;
import io.carbonstream.telemetry.power.PowerCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retention of the worker-intervals store (horizon 1 h here): it stays bounded while a worker runs for hours and
 * empties when the worker falls silent, and a batch that could border a forgotten interval is charged no idle time
 * rather than a wrong one. Without a broker: the wall clock is the test driver's.
 */
class IntervalRetentionTest {

    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant WALL = Instant.parse("2026-06-01T00:00:00Z");
    /** 8 GPUs idle at 50 W: 400 W of idle power. */
    static final HardwareProfile GPU = new HardwareProfile("test-gpu", 1, HardwareKind.ACCELERATOR, "Test GPU",
            new BigDecimal("50"), new BigDecimal("400"), "round test figures");

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> batches;
    TestOutputTopic<String, byte[]> energy;
    KeyValueStore<String, Long> intervals;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        TopologyProducer producer = new TopologyProducer();
        producer.catalog = new CatalogSnapshot();
        producer.catalog.replace(new PowerCatalog(List.of(GPU)));
        producer.registry = registry;
        producer.maxIdleGap = Duration.ofMinutes(5);
        producer.retention = io.carbonstream.streams.RetentionConfig.of(Duration.ofHours(1), 2000);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "telemetry-retention-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(producer.buildTopology(), props, WALL);
        batches = driver.createInputTopic(Topics.TRAINING_BATCHES, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        energy = driver.createOutputTopic(Topics.TELEMETRY_ENERGY, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        intervals = driver.getKeyValueStore(TopologyProducer.INTERVAL_STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static BatchEvent batch(String worker, Duration from, Duration to) {
        return BatchEvent.builder().schemaVersion(1).eventId(UUID.randomUUID()).jobId("job").tenant("tenant-a").workerId(worker)
                .step(1L).phase(Phase.PRETRAIN).startedAt(T0.plus(from)).endedAt(T0.plus(to)).samples(32L).tokens(4096L)
                .acceleratorType("test-gpu").acceleratorCount(8).utilization(0.8).datacenter("dc-1").build();
    }

    /** Worker 0's k-th batch: 10 minutes of work from minute 11k, then a minute's pause. */
    static BatchEvent nth(int k) {
        return batch("0", Duration.ofMinutes(11L * k), Duration.ofMinutes(11L * k + 10));
    }

    BigDecimal idleOf(BatchEvent b) {
        batches.pipeInput(b.jobId(), EventJson.encode(b));
        List<byte[]> out = energy.readValuesToList();
        assertEquals(1, out.size(), "one energy event per batch");
        return EventJson.decode(out.get(0), EnergyEvent.class).energyJoules().idle();
    }

    long entries(String worker) {
        long n = 0;
        try (var it = intervals.prefixScan("job\u0000" + worker + "\u0000", Serdes.String().serializer())) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    static void assertJoules(String expected, BigDecimal actual, String why) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), why + ": expected " + expected + " J, was " + actual);
    }

    @Test
    void intervalsOlderThanTheHorizonBeforeTheWorkersNewestAreForgottenAndWhatCouldBorderThemGetsNoIdleTime() {
        assertJoules("0", idleOf(nth(0)), "the first batch");
        for (int k = 1; k < 20; k++) {
            // each one-minute pause: 60 s x 400 W
            assertJoules("24000", idleOf(nth(k)), "the pause before batch " + k);
        }
        assertEquals(20 + 1, entries("0"), "20 intervals and the worker's activity marker");

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        // the newest ends at minute 219: intervals ending before minute 159 go (batches 0 to 13, ending 10 to 153)
        assertEquals(6 + 2, entries("0"), "batches 14 to 19, the activity marker and the expiry marker");
        assertEquals(Instant.parse("2026-03-01T02:33:00Z").toEpochMilli() * 1_000_000 + 1,
                intervals.get("job\u00000\u0000" + WorkerIntervals.EXPIRED), "past the end of the last one deleted");
        assertEquals(14.0, registry.counter("carbonstream.telemetry.retention.deleted").count());

        // in the pause after batch 13, which may border forgotten intervals: charged its energy, no idle time
        BatchEvent late = batch("0", Duration.ofMinutes(153).plusSeconds(10), Duration.ofMinutes(153).plusSeconds(50));
        assertJoules("0", idleOf(late), "a batch next to forgotten intervals");
        assertEquals(1.0, registry.counter("carbonstream.telemetry.beyond.retention").count());
        assertEquals(8, entries("0"), "and not filed");

        // in the pause after batch 16, well within the horizon: exact as ever (20 s + 20 s - 60 s at 400 W)
        BatchEvent inside = batch("0", Duration.ofMinutes(186).plusSeconds(20), Duration.ofMinutes(186).plusSeconds(40));
        assertJoules("-8000", idleOf(inside), "a late batch within the horizon");
        assertJoules("0", idleOf(nth(19)), "a redelivery within the horizon changes nothing");
    }

    @Test
    void aWorkerSilentForTheHorizonIsForgottenExceptForOneMarker() {
        for (int k = 0; k < 3; k++) {
            idleOf(nth(k));
        }
        idleOf(batch("1", Duration.ZERO, Duration.ofMinutes(1)));
        driver.advanceWallClockTime(Duration.ofMinutes(30));
        assertEquals(3 + 1, entries("0"), "silent for half the horizon: all kept");

        // worker 1 reports again; worker 0 stays silent
        idleOf(batch("1", Duration.ofMinutes(2), Duration.ofMinutes(3)));
        driver.advanceWallClockTime(Duration.ofMinutes(31));
        assertEquals(1, entries("0"), "only the expiry marker is left");
        assertEquals(Instant.parse("2026-03-01T00:32:00Z").toEpochMilli() * 1_000_000 + 1,
                intervals.get("job\u00000\u0000" + WorkerIntervals.EXPIRED), "past the end of its last interval");
        assertEquals(2 + 1, entries("1"), "the worker that reported within the horizon keeps its intervals");

        // a batch of the forgotten worker after a minute's pause: no idle time (the interval before it is gone)
        assertJoules("0", idleOf(nth(3)), "a forgotten worker's next batch");
        assertEquals(1, entries("0"), "not filed");
        // once it starts more than the idle gap limit after what was forgotten, the worker is accounted as ever
        assertJoules("0", idleOf(batch("0", Duration.ofMinutes(40), Duration.ofMinutes(50))), "nothing before it is left");
        assertJoules("24000", idleOf(batch("0", Duration.ofMinutes(51), Duration.ofMinutes(60))), "a minute's pause");
        assertEquals(2 + 2, entries("0"), "two intervals, the activity and expiry markers");
        assertJoules("24000", idleOf(batch("1", Duration.ofMinutes(4), Duration.ofMinutes(5))), "worker 1 as ever");
    }
    @Test
    void aBurstOfShuffledBatchesSpanningWeeksIsPricedWholeWhileRetentionSweeps() {
        // a burst's shape (e2e BurstIT): jobs of 5000 one-second batches ten minutes apart, five weeks of event time
        // far past the 1 h horizon, arriving as arrays of 1000 in shuffled order, while the sweeper deletes the
        // intervals retention forgets and raises the workers' expiry markers
        TestOutputTopic<String, byte[]> letters = driver.createOutputTopic(Topics.deadLetterOf(Topics.TRAINING_BATCHES),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        java.util.List<BatchEvent> blocks = new java.util.ArrayList<>();
        java.util.List<java.util.List<BatchEvent>> arrays = new java.util.ArrayList<>();
        for (int job = 0; job < 3; job++) {
            for (int first = 0; first < 5000; first += 1000) {
                java.util.List<BatchEvent> array = new java.util.ArrayList<>();
                for (int step = first; step < first + 1000; step++) {
                    Instant start = T0.plus(Duration.ofMinutes(10L * step));
                    array.add(BatchEvent.builder().schemaVersion(1).eventId(UUID.randomUUID()).jobId("job-" + job)
                            .tenant("tenant-a").workerId("0").step((long) step).phase(Phase.PRETRAIN).startedAt(start)
                            .endedAt(start.plusSeconds(1)).samples(1L).tokens(0L).acceleratorType("test-gpu")
                            .acceleratorCount(1).utilization(1.0).datacenter("dc-1").build());
                }
                arrays.add(array);
            }
        }
        java.util.Collections.shuffle(arrays, new java.util.Random(20261201L));
        arrays.forEach(blocks::addAll);
        int n = 0;
        for (BatchEvent b : blocks) {
            batches.pipeInput(b.jobId(), EventJson.encode(b));
            if (++n % 100 == 0) {
                driver.advanceWallClockTime(io.carbonstream.streams.Retention.SWEEP_EVERY);
            }
        }
        assertEquals(List.of(), letters.readValuesToList().stream().map(v -> new String(v, java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll(",\"payload\".*", "")).limit(3).toList(), "no batch dead-lettered");
        assertEquals(15_000, energy.readValuesToList().size(), "every batch priced");
    }
}
