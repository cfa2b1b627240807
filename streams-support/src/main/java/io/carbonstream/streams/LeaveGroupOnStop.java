package io.carbonstream.streams;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.kafka.streams.KafkaStreams;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * A graceful stop (SIGTERM: a scale-down, a rolling update, {@code deploy/local/carbonstream stop}) hands this
 * instance's partitions to the others at once. Kafka Streams' consumers do not leave their group when they close, and
 * a static member ({@code kafka-streams.group.instance.id}) stays in it until its session times out: until then no
 * other instance processes its partitions. Before Quarkus closes the stream client, this closes it with
 * {@link KafkaStreams.CloseOptions#leaveGroup(boolean)}, which removes the static member from the group through the
 * admin client, so the instance holding the standby copy takes over without waiting.
 *
 * <p>{@code carbonstream.streams.leave-group-on-stop=false} keeps the member in the group across a stop: a restart that
 * comes back within the session timeout then gets its partitions back without a rebalance, and nobody processes them
 * meanwhile (docs/reliability.md weighs the two). A dynamic member (no {@code group.instance.id}) is left to Quarkus'
 * own close: Kafka Streams does not remove dynamic members.
 */
@ApplicationScoped
public class LeaveGroupOnStop {

    private static final Logger LOG = Logger.getLogger(LeaveGroupOnStop.class);

    @Inject
    KafkaStreams streams;

    @ConfigProperty(name = "carbonstream.streams.leave-group-on-stop", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "kafka-streams.group.instance.id")
    Optional<String> groupInstanceId;

    @ConfigProperty(name = "carbonstream.streams.close-timeout", defaultValue = "20S")
    Duration timeout;

    /** Runs before Quarkus' own close of the stream client (which then finds it closed). */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (!enabled || groupInstanceId.filter(id -> !id.isBlank()).isEmpty()) {
            return;
        }
        LOG.infof("leaving the Kafka Streams group as static member %s", groupInstanceId.get());
        if (!leave(streams, timeout)) {
            LOG.warnf("the stream client did not close within %s; its partitions move when its session expires", timeout);
        }
    }

    /**
     * Closes {@code streams} and removes its static members from the group; whether it closed within
     * {@code timeout}.
     */
    static boolean leave(KafkaStreams streams, Duration timeout) {
        return streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(timeout));
    }
}
