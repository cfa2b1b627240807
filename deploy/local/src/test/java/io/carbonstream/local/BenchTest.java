package io.carbonstream.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark fails a phase that stops making progress, and its raw-Kafka phase reads back every record. */
class BenchTest {

    @Test
    void aPhaseWithoutProgressFailsNamingThePhaseAndWhatItHadDone() throws Exception {
        Bench.Watchdog watchdog = new Bench.Watchdog("raw Kafka", Duration.ofMillis(200));
        watchdog.progress(10, "10 of 50 read");
        Thread.sleep(100);
        watchdog.progress(20, "20 of 50 read"); // progress: the clock starts again
        Thread.sleep(150);
        assertDoesNotThrow(() -> watchdog.progress(20, "20 of 50 read"));
        Thread.sleep(100);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> watchdog.progress(20, "20 of 50 read"));
        assertEquals("raw Kafka: no progress for 0 s: 20 of 50 read", e.getMessage());
    }

    @Test
    void rawKafkaReadsBackEveryRecordOfATopicCreatedAMomentBefore() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        for (int run = 0; run < 3; run++) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            double rate = Bench.rawKafka(infra.kafka().bootstrapServers(), "bench.raw." + id, 3, Bench.batches(id, 3000, 10));
            assertTrue(rate > 0, "events/s " + rate);
        }
    }
}
