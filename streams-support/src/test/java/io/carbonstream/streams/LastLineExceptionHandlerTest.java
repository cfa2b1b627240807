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
        assertTrue(LastLineExceptionHandler.notTheRecords(new io.carbonstream.events.TransientFailure("catalog not loaded")));
        assertTrue(LastLineExceptionHandler.notTheRecords(new StreamsException(new TimeoutException("broker away"))));
        assertTrue(LastLineExceptionHandler.notTheRecords(
                new org.apache.kafka.streams.errors.ProcessorStateException("Error while getting value for key from store seen-batches")));
        // a send to a sink that failed, thrown at the next forward: the record being processed did nothing wrong
        assertTrue(LastLineExceptionHandler.notTheRecords(new StreamsException("Error encountered sending record to topic carbon.footprint",
                new org.apache.kafka.common.errors.RecordTooLargeException("too large"))));
        assertTrue(LastLineExceptionHandler.notTheRecords(new RuntimeException(
                new org.apache.kafka.streams.errors.InvalidStateStoreException("store migrated"))));
        assertFalse(LastLineExceptionHandler.notTheRecords(new ArithmeticException("long overflow")));
        assertFalse(LastLineExceptionHandler.notTheRecords(new NullPointerException()));
        assertFalse(LastLineExceptionHandler.notTheRecords(new java.io.UncheckedIOException(new java.io.IOException("bad JSON"))));
    }

    @Test
    void aFailureOfTheStreamItselfStopsTheThreadInsteadOfDeadLetteringTheRecord() {
        LastLineExceptionHandler handler = new LastLineExceptionHandler();
        handler.configure(Map.of(LastLineExceptionHandler.FALLBACK_CONFIG, "telemetry.energy.dlq"));
        assertEquals(ProcessingExceptionHandler.ProcessingHandlerResponse.FAIL, handler.handle(context("training.batches"),
                (org.apache.kafka.streams.processor.api.Record<?, ?>) null,
                new org.apache.kafka.streams.errors.ProcessorStateException("Error while putting key to store worker-intervals")));
    }

    @Test
    void aFailedPunctuationStopsTheThreadWhateverTheFailure() {
        // a punctuation has no record (no topic): continuing would drop what it was writing
        LastLineExceptionHandler handler = new LastLineExceptionHandler();
        handler.configure(Map.of(LastLineExceptionHandler.FALLBACK_CONFIG, "telemetry.energy.dlq"));
        assertEquals(ProcessingExceptionHandler.ProcessingHandlerResponse.FAIL, handler.handle(context(null),
                (org.apache.kafka.streams.processor.api.Record<?, ?>) null, new ArithmeticException("long overflow")));
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
        return context("internal-topic");
    }

    private static ErrorHandlerContext context(String topic) {
        return new ErrorHandlerContext() {
            public String topic() { return topic; }
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
