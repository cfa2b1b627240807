package io.carbonstream.carbon.streams;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.streams.Retention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.carbonstream.carbon.Fixtures.intensity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An idle task is not punctuated for nothing: Kafka Streams commits a task after every wall-clock punctuation, and
 * under exactly-once each commit is a transaction. The 100 ms flush runs only while something waits for it, and the
 * retention sweep slows down while nothing arrives; both come back with the next batch.
 */
class IdleTaskTopologyTest {

    @TempDir
    Path stateDir;

    /** Punctuations of every task so far (Kafka Streams' task-level punctuate-total). */
    static double punctuations(CarbonTopologyDriver topology) {
        return topology.driver.metrics().entrySet().stream()
                .filter(m -> m.getKey().group().equals("stream-task-metrics") && m.getKey().name().equals("punctuate-total"))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
    }

    static void idle(CarbonTopologyDriver topology, Duration howLong) {
        for (long ms = 0; ms < howLong.toMillis(); ms += FootprintProcessor.FLUSH.toMillis()) {
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        }
    }

    @Test
    void anIdleTaskIsPunctuatedOnlyByItsSlowingSweepAndTheNextBatchIsFlushedAsBefore() {
        try (CarbonTopologyDriver topology = new CarbonTopologyDriver(stateDir, "carbon-idle-test",
                CoalescedFootprintTopologyTest.catalog(), true)) {
            topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON.minusSeconds(3600), null, "321.5")));
            topology.send(energy("job-a", UUID.nameUUIDFromBytes("a0".getBytes()), Phase.PRETRAIN, 0L, "100.5", "gcp-europe-west4"));
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            assertEquals(List.of("job-a"), topology.footprintOut.readKeyValuesToList().stream().map(kv -> kv.key).toList());
            assertFalse(topology.rollupsOut.readKeyValuesToList().isEmpty(), "the roll-up deltas were flushed");

            double before = punctuations(topology);
            idle(topology, Duration.ofSeconds(20));
            double idle = punctuations(topology) - before;
            // a flush every 100 ms and a sweep every second would be 210; the sweep alone, slowing down from 1 s by
            // halves while it deletes nothing, fires at about 1, 3, 7 and 15 s
            assertTrue(idle >= 3 && idle <= 5, idle + " punctuations in 20 s of idleness");

            topology.send(energy("job-a", UUID.nameUUIDFromBytes("a1".getBytes()), Phase.PRETRAIN, 10L, "101.5", "gcp-europe-west4"));
            assertTrue(topology.footprintOut.readKeyValuesToList().isEmpty(), "coalesced: not before the flush");
            topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
            assertEquals(List.of("job-a"), topology.footprintOut.readKeyValuesToList().stream().map(kv -> kv.key).toList(),
                    "the next batch is published one flush interval later");
            assertFalse(topology.rollupsOut.readKeyValuesToList().isEmpty(), "and its roll-up deltas flushed");

            double beforeSecond = punctuations(topology);
            idle(topology, Retention.SWEEP_EVERY);
            assertTrue(punctuations(topology) - beforeSecond >= 1, "the batch brought the sweep back to every second");
        }
    }
}
