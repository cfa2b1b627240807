package io.carbonstream.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Whether this instance's stream threads are alive and moving. DOWN when the Kafka Streams client has failed or
 * stopped ({@code ERROR}, {@code PENDING_ERROR}, {@code NOT_RUNNING}, {@code PENDING_SHUTDOWN}), when no stream
 * thread is left, or when its input has records waiting (consumer lag above zero) but none was consumed for
 * {@code carbonstream.health.stall-timeout} (default 2 minutes): a thread that is alive but stuck. Both liveness and
 * readiness report it, so an orchestrator stops routing to the instance and restarts it.
 */
@ApplicationScoped
public class StreamHealth {

    private static final Set<KafkaStreams.State> DEAD = Set.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR,
            KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN);

    @Inject
    KafkaStreams streams;

    @ConfigProperty(name = "carbonstream.health.stall-timeout", defaultValue = "2M")
    Duration stallTimeout;

    Clock clock = Clock.systemUTC();

    private final Watch watch = new Watch();

    /** The state of the stream threads, named {@code name}. */
    public synchronized HealthCheckResponse check(String name) {
        KafkaStreams.State state = streams.state();
        Progress p = progress(streams.metrics());
        Duration idleWithLag = watch.observe(p, clock.instant());
        boolean stalled = idleWithLag.compareTo(stallTimeout) > 0;
        int threads = state == KafkaStreams.State.CREATED ? -1 : streams.metadataForLocalThreads().size();
        boolean up = !DEAD.contains(state) && threads != 0 && !stalled;
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name).status(up)
                .withData("state", state.name())
                .withData("streamThreads", threads)
                .withData("consumerLag", (long) p.lag())
                .withData("recordsConsumed", (long) p.consumed());
        if (stalled) {
            b.withData("stalledFor", idleWithLag.toString());
        }
        return b.build();
    }

    /** How long the input has had records waiting while none was consumed; zero while it moves or has no lag. */
    static final class Watch {
        private double lastConsumed = -1;
        private Instant lastProgress;

        Duration observe(Progress p, Instant now) {
            if (lastProgress == null || p.consumed() != lastConsumed || p.lag() <= 0) {
                lastProgress = now;
                lastConsumed = p.consumed();
            }
            return Duration.between(lastProgress, now);
        }
    }

    /** Sum of the main consumers' per-partition lag and of their consumed records. */
    record Progress(double lag, double consumed) {
    }

    static Progress progress(Map<MetricName, ? extends Metric> metrics) {
        double lag = 0;
        double consumed = 0;
        for (var e : metrics.entrySet()) {
            MetricName n = e.getKey();
            String client = n.tags().getOrDefault("client-id", "");
            if (!n.group().equals("consumer-fetch-manager-metrics") || client.contains("restore-consumer")
                    || client.contains("global")) {
                continue;
            }
            Object value = e.getValue().metricValue();
            if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
                continue;
            }
            if (n.name().equals("records-lag") && n.tags().containsKey("partition")) {
                lag += Math.max(0, number.doubleValue());
            } else if (n.name().equals("records-consumed-total") && !n.tags().containsKey("topic")) {
                consumed += number.doubleValue();
            }
        }
        return new Progress(lag, consumed);
    }
}
