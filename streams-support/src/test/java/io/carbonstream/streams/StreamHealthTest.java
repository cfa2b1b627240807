package io.carbonstream.streams;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamHealthTest {

    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void aStreamWithRecordsWaitingAndNoneConsumedIsStalledForAsLongAsThatLasts() {
        StreamHealth.Watch watch = new StreamHealth.Watch();
        assertEquals(Duration.ZERO, watch.observe(new StreamHealth.Progress(5, 100), T0));
        assertEquals(Duration.ofSeconds(30), watch.observe(new StreamHealth.Progress(5, 100), T0.plusSeconds(30)));
        assertEquals(Duration.ofSeconds(200), watch.observe(new StreamHealth.Progress(9, 100), T0.plusSeconds(200)));
        // one record consumed: moving again
        assertEquals(Duration.ZERO, watch.observe(new StreamHealth.Progress(9, 101), T0.plusSeconds(201)));
    }

    @Test
    void anIdleStreamWithoutLagIsNeverStalled() {
        StreamHealth.Watch watch = new StreamHealth.Watch();
        watch.observe(new StreamHealth.Progress(0, 100), T0);
        assertEquals(Duration.ZERO, watch.observe(new StreamHealth.Progress(0, 100), T0.plusSeconds(3600)));
    }

    @Test
    void progressSumsTheMainConsumersLagAndConsumedRecordsOnly() {
        Map<MetricName, Metric> metrics = new HashMap<>();
        put(metrics, "records-lag", "app-StreamThread-1-consumer", Map.of("topic", "t", "partition", "0"), 3.0);
        put(metrics, "records-lag", "app-StreamThread-1-consumer", Map.of("topic", "t", "partition", "1"), 4.0);
        put(metrics, "records-lag", "app-StreamThread-1-consumer", Map.of("topic", "t", "partition", "2"), Double.NaN);
        put(metrics, "records-lag", "app-StreamThread-1-restore-consumer", Map.of("topic", "t", "partition", "0"), 50.0);
        put(metrics, "records-lag", "app-global-consumer", Map.of("topic", "g", "partition", "0"), 60.0);
        put(metrics, "records-consumed-total", "app-StreamThread-1-consumer", Map.of(), 1000.0);
        put(metrics, "records-consumed-total", "app-StreamThread-1-consumer", Map.of("topic", "t"), 999.0);
        StreamHealth.Progress p = StreamHealth.progress(metrics);
        assertEquals(7.0, p.lag());
        assertEquals(1000.0, p.consumed());
    }

    private static void put(Map<MetricName, Metric> metrics, String name, String client, Map<String, String> tags, double value) {
        Map<String, String> all = new HashMap<>(tags);
        all.put("client-id", client);
        MetricName n = new MetricName(name, "consumer-fetch-manager-metrics", "", all);
        metrics.put(n, new Metric() {
            @Override
            public MetricName metricName() {
                return n;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
