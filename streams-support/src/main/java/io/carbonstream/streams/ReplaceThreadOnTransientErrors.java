package io.carbonstream.streams;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What a stream thread that dies does next (Quarkus sets this bean on the Kafka Streams client). A transaction
 * the broker no longer accepts, typically right after a broker restart ({@code InvalidTxnStateException},
 * a fenced or stale producer epoch, an aborted transaction, a retriable error), replaces the thread: its tasks are
 * closed, their uncommitted work is aborted, and a new thread resumes them from the last commit, exactly once.
 * Anything else, or more than {@link #MAX_REPLACEMENTS} replacements within {@link #WINDOW}, stops the client:
 * the process then exits with 75 and is started again ({@link ExitWhenStreamsFail}).
 */
@ApplicationScoped
public class ReplaceThreadOnTransientErrors implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 10;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(ReplaceThreadOnTransientErrors.class);
    private static final List<Class<? extends Throwable>> TRANSIENT = List.of(InvalidTxnStateException.class,
            ProducerFencedException.class, InvalidProducerEpochException.class, TransactionAbortedException.class,
            OutOfOrderSequenceException.class, RetriableException.class);

    private final Deque<Long> replacements = new ArrayDeque<>();
    Clock clock = Clock.systemUTC();

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        if (!isTransient(exception)) {
            LOG.errorf(exception, "a stream thread stopped on an error it cannot recover from: stopping the client");
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = clock.millis();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW.toMillis()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            LOG.errorf(exception, "%d stream threads replaced within %s: stopping the client", replacements.size(), WINDOW);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warnf("a stream thread stopped on a transient Kafka error (%s): replacing it; it resumes from the last commit",
                rootMessage(exception));
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    static boolean isTransient(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> type : TRANSIENT) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable exception) {
        Throwable t = exception;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
