package io.carbonstream.streams;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LastLineExceptionHandlerTest {

    @Test
    void lettersGoToTheDeadLetterTopicOfTheirTopicOrTheFallback() {
        LastLineExceptionHandler handler = new LastLineExceptionHandler();
        handler.configure(Map.of(LastLineExceptionHandler.FALLBACK_CONFIG, "telemetry.energy.dlq"));
        assertEquals("training.batches.dlq", handler.targetTopic("training.batches"));
        assertEquals("grid.intensity.dlq", handler.targetTopic("grid.intensity"));
        assertEquals("telemetry.energy.dlq", handler.targetTopic("carbonstream-carbon-rollup-deltas-repartition"));
        assertEquals("telemetry.energy.dlq", handler.targetTopic("training.batches.dlq"), "never a dead letter of a dead letter topic");
        LastLineExceptionHandler bare = new LastLineExceptionHandler();
        bare.configure(Map.of());
        assertNull(bare.targetTopic("some-internal-topic"));
    }

    @Test
    void failuresThatSayNothingAboutTheRecordAreTransient() {
        assertTrue(LastLineExceptionHandler.isTransient(new io.carbonstream.events.TransientFailure("catalog not loaded")));
        assertTrue(LastLineExceptionHandler.isTransient(new StreamsException(new TimeoutException("broker away"))));
        assertFalse(LastLineExceptionHandler.isTransient(new ArithmeticException("long overflow")));
        assertFalse(LastLineExceptionHandler.isTransient(new NullPointerException()));
    }

    @Test
    void aTransientFailureStopsTheThreadInsteadOfDeadLetteringTheRecord() {
        LastLineExceptionHandler handler = new LastLineExceptionHandler();
        handler.configure(Map.of());
        assertEquals(ProcessingExceptionHandler.ProcessingHandlerResponse.FAIL,
                handler.handle(context(), (org.apache.kafka.streams.processor.api.Record<?, ?>) null, new io.carbonstream.events.TransientFailure("catalog not loaded within PT60S")));
    }

    @Test
    void aRecordWithNowhereToGoFailsRatherThanVanishes() {
        LastLineExceptionHandler handler = new LastLineExceptionHandler();
        handler.configure(Map.of());
        assertEquals(ProcessingExceptionHandler.ProcessingHandlerResponse.FAIL,
                handler.handle(context(), (org.apache.kafka.streams.processor.api.Record<?, ?>) null, new ArithmeticException("long overflow")));
    }

    @Test
    void reasonsNameTheCauseWithoutJavaClassNames() {
        assertEquals("Cannot deserialize value of type ISO-8601 instant",
                LastLineExceptionHandler.describe(new RuntimeException(new IllegalStateException(
                        "Cannot deserialize value of type `java.time.Instant`"))));
        assertEquals("NullPointerException", LastLineExceptionHandler.describe(new NullPointerException()));
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            public String topic() { return "internal-topic"; }
            public int partition() { return 0; }
            public long offset() { return 1; }
            public org.apache.kafka.common.header.Headers headers() { return null; }
            public String processorNodeId() { return "node"; }
            public TaskId taskId() { return new TaskId(0, 0); }
            public long timestamp() { return 0; }
            public byte[] sourceRawKey() { return null; }
            public byte[] sourceRawValue() { return null; }
        };
    }
}
