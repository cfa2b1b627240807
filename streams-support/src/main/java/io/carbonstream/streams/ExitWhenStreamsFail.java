package io.carbonstream.streams;

import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.function.IntConsumer;

/**
 * A Kafka Streams client that reached {@code ERROR} never runs again in the same process: its threads are gone and
 * it cannot be started twice. Several of the failures that end there are cured by a new process, and only by one:
 * the global thread that found its checkpoint outside the topic's offsets ({@code OffsetOutOfRangeException}: the
 * topic was recreated, truncated or compacted past it) wipes its store and dies, and the next process restores the
 * store from the beginning; a stream thread that failed more often than {@link ReplaceThreadOnTransientErrors}
 * replaces threads starts again from its last commit.
 *
 * <p>So, as Quarkus' state listener, this exits the process with {@value #EXIT_RESTART} (EX_TEMPFAIL) as soon as the
 * client enters {@code ERROR}, instead of leaving an instance that answers 503 until a liveness probe gives up on it:
 * Kubernetes starts the container again at once (restart policy {@code Always}), and so does the local launcher, which
 * starts an instance again after this exit code and no other (a {@code kill -9} or a stop is not undone), at most
 * five times within ten minutes. {@code carbonstream.streams.exit-on-error=false} keeps the failed process alive
 * instead, with health DOWN (to inspect it).
 */
@ApplicationScoped
public class ExitWhenStreamsFail implements KafkaStreams.StateListener {

    /** The exit code that asks whoever runs the instance to start it again (sysexits.h: EX_TEMPFAIL). */
    public static final int EXIT_RESTART = 75;
    private static final Logger LOG = Logger.getLogger(ExitWhenStreamsFail.class);

    @ConfigProperty(name = "carbonstream.streams.exit-on-error", defaultValue = "true")
    boolean enabled;

    IntConsumer exit = Quarkus::asyncExit;

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        if (newState != KafkaStreams.State.ERROR) {
            return;
        }
        if (!enabled) {
            LOG.errorf("the Kafka Streams client failed (%s -> ERROR); carbonstream.streams.exit-on-error=false keeps "
                    + "this process, with health DOWN, until it is restarted", oldState);
            return;
        }
        LOG.errorf("the Kafka Streams client failed (%s -> ERROR) and cannot run again in this process: exiting with %d "
                + "so that the instance is started again, restoring its stores from Kafka", oldState, EXIT_RESTART);
        exit.accept(EXIT_RESTART);
    }
}
