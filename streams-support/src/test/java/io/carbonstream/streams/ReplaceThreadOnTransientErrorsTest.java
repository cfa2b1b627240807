package io.carbonstream.streams;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplaceThreadOnTransientErrorsTest {

    static StreamsException commitFailed(Throwable cause) {
        return new StreamsException("Error encountered trying to commit a transaction", cause);
    }

    @Test
    void aTransactionTheBrokerNoLongerAcceptsReplacesTheThread() {
        var handler = new ReplaceThreadOnTransientErrors();
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD,
                handler.handle(commitFailed(new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."))));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(commitFailed(new TimeoutException("no broker"))));
    }

    @Test
    void anythingElseStopsTheClient() {
        var handler = new ReplaceThreadOnTransientErrors();
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(new IllegalStateException("a bug")));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(new StreamsException("a bug", new ArithmeticException())));
    }

    @Test
    void tooManyReplacementsInTheWindowStopTheClientAndOlderOnesAreForgotten() {
        var handler = new ReplaceThreadOnTransientErrors();
        Instant t0 = Instant.parse("2026-12-01T09:00:00Z");
        handler.clock = Clock.fixed(t0, ZoneOffset.UTC);
        for (int i = 0; i < ReplaceThreadOnTransientErrors.MAX_REPLACEMENTS; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(commitFailed(new InvalidTxnStateException("x"))));
        }
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(commitFailed(new InvalidTxnStateException("x"))));
        handler.clock = Clock.fixed(t0.plus(ReplaceThreadOnTransientErrors.WINDOW).plus(Duration.ofSeconds(1)), ZoneOffset.UTC);
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(commitFailed(new InvalidTxnStateException("x"))));
    }
}
