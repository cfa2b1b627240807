package io.carbonstream.events;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventContractTest {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    static BatchEvent valid() {
        return new BatchEvent(1, UUID.fromString("00000000-0000-0000-0000-000000000001"), "job-1", "tenant", "0", 3L,
                Phase.FINETUNE, T0, T0.plusMillis(1500), 32L, 4096L, new BigDecimal("123456789012345678901234567890"),
                "nvidia-a100-sxm4-40gb", 8, 0.75, null, null, 1.5, "intel-cascade-lake", 16, null, null, null, null, "gcp-europe-west4");
    }

    @Test
    void eventsSurviveAJsonRoundTripExactly() {
        BatchEvent e = valid();
        String json = EventJson.encodeToString(e);
        assertTrue(json.contains("\"startedAt\":\"2026-03-01T12:00:00Z\""), json);
        assertTrue(json.contains("\"flops\":123456789012345678901234567890"), "big decimals stay plain and exact: " + json);
        assertFalse(json.contains("measuredPowerWatts"), "absent optional fields are left out");
        assertEquals(e, EventJson.decode(json.getBytes(StandardCharsets.UTF_8), BatchEvent.class));

        Energy energy = new Energy(new BigDecimal("0.000001"), new BigDecimal("2.5"), BigDecimal.ZERO, BigDecimal.ZERO);
        Energy back = EventJson.decode(EventJson.encode(energy), Energy.class);
        assertEquals(new BigDecimal("2.500001"), back.total());
    }

    @Test
    void unknownFieldsOfNewerWritersAreIgnored() {
        String json = EventJson.encodeToString(valid()).replace("{", "{\"addedLater\":42,");
        assertEquals(valid(), EventJson.decode(json.getBytes(StandardCharsets.UTF_8), BatchEvent.class));
    }

    @Test
    void decodingErrorsNameTheField() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventJson.decode(
                "{\"step\":\"three\"}".getBytes(StandardCharsets.UTF_8), BatchEvent.class));
        assertEquals("step", e.field());
        assertEquals("cannot read \"three\" as an integer", e.reason());
        InvalidEventException phase = assertThrows(InvalidEventException.class, () -> EventJson.decode(
                "{\"phase\":\"WARMUP\"}".getBytes(StandardCharsets.UTF_8), BatchEvent.class));
        assertEquals("phase", phase.field());
        assertEquals("cannot read \"WARMUP\" as one of DATA_PREP, PRETRAIN, FINETUNE, EVAL, INFERENCE", phase.reason());
        assertThrows(InvalidEventException.class, () -> EventJson.decode("{".getBytes(StandardCharsets.UTF_8), BatchEvent.class));
        assertThrows(InvalidEventException.class, () -> EventJson.decode(new byte[0], BatchEvent.class));
    }

    @Test
    void aValidBatchHasNoViolations() {
        assertEquals(List.of(), BatchValidation.validate(valid()));
    }

    @Test
    void everyMissingRequiredFieldIsNamed() {
        BatchEvent empty = new BatchEvent(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
        List<String> fields = BatchValidation.validate(empty).stream().map(Violation::field).toList();
        assertEquals(List.of("schemaVersion", "eventId", "jobId", "tenant", "workerId", "step", "phase", "startedAt",
                "endedAt", "samples", "tokens", "acceleratorCount", "datacenter"), fields);
    }

    @Test
    void impossibleNumbersAreViolations() {
        BatchEvent e = valid();
        BatchEvent bad = new BatchEvent(2, e.eventId(), "job 1", e.tenant(), e.workerId(), -1L, e.phase(), e.endedAt(),
                e.startedAt(), -5L, 0L, new BigDecimal("-1"), e.acceleratorType(), 5000, 1.5, 10.0, null, -1.0,
                "intel-cascade-lake", null, null, null, null, null, e.datacenter());
        List<String> fields = BatchValidation.validate(bad).stream().map(Violation::field).toList();
        assertEquals(List.of("schemaVersion", "jobId", "step", "endedAt", "samples", "flops", "acceleratorCount",
                "utilization", "powerSource", "cpuSeconds", "cpuCores"), fields);
    }

    @Test
    void aBatchLongerThanSevenDaysIsRejected() {
        BatchEvent e = valid();
        BatchEvent week = new BatchEvent(1, e.eventId(), e.jobId(), e.tenant(), e.workerId(), 1L, e.phase(), T0,
                T0.plusSeconds(7 * 86400 + 1), 1L, 0L, null, e.acceleratorType(), 1, null, null, null, null, null, null, null, null, null, null,
                e.datacenter());
        assertEquals("endedAt", BatchValidation.validate(week).get(0).field());
    }

    @Test
    void derivedEventIdsAreStablePerJobWorkerPhaseAndStep() {
        UUID a = BatchEvent.deriveEventId("job", "0", Phase.PRETRAIN, 7);
        assertEquals(a, BatchEvent.deriveEventId("job", "0", Phase.PRETRAIN, 7));
        assertFalse(a.equals(BatchEvent.deriveEventId("job", "1", Phase.PRETRAIN, 7)));
        assertFalse(a.equals(BatchEvent.deriveEventId("job", "0", Phase.EVAL, 7)));
        assertFalse(a.equals(BatchEvent.deriveEventId("job", "0", Phase.PRETRAIN, 8)));
    }

    @Test
    void everyInputTopicHasADeadLetterTopic() {
        assertTrue(Topics.ALL.containsAll(List.of(Topics.deadLetterOf(Topics.TRAINING_BATCHES),
                Topics.deadLetterOf(Topics.TELEMETRY_ENERGY), Topics.deadLetterOf(Topics.GRID_INTENSITY))));
        assertEquals("training.batches.dlq", Topics.deadLetterOf(Topics.TRAINING_BATCHES));
    }
}
