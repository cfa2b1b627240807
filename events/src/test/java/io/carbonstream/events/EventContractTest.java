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
        return BatchEvent.builder().schemaVersion(1).eventId(UUID.fromString("00000000-0000-0000-0000-000000000001"))
                .jobId("job-1").tenant("tenant").workerId("0").step(3L).phase(Phase.FINETUNE).startedAt(T0)
                .endedAt(T0.plusMillis(1500)).samples(32L).tokens(4096L).flops(new BigDecimal("123456789012345678901234567890"))
                .acceleratorType("nvidia-a100-sxm4-40gb").acceleratorCount(8).utilization(0.75).cpuSeconds(1.5)
                .cpuType("intel-cascade-lake").cpuCores(16).datacenter("gcp-europe-west4").build();
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
        BatchEvent empty = BatchEvent.builder().build();
        List<String> fields = BatchValidation.validate(empty).stream().map(Violation::field).toList();
        assertEquals(List.of("schemaVersion", "eventId", "jobId", "tenant", "workerId", "step", "phase", "startedAt",
                "endedAt", "samples", "tokens", "acceleratorCount", "datacenter"), fields);
    }

    @Test
    void impossibleNumbersAreViolations() {
        BatchEvent e = valid();
        BatchEvent bad = e.toBuilder().schemaVersion(2).jobId("job 1").step(-1L).startedAt(e.endedAt()).endedAt(e.startedAt())
                .samples(-5L).tokens(0L).flops(new BigDecimal("-1")).acceleratorCount(5000).utilization(1.5)
                .measuredPowerWatts(10.0).cpuSeconds(-1.0).cpuCores(null).build();
        List<String> fields = BatchValidation.validate(bad).stream().map(Violation::field).toList();
        assertEquals(List.of("schemaVersion", "jobId", "step", "endedAt", "samples", "flops", "acceleratorCount",
                "utilization", "powerSource", "cpuSeconds", "cpuCores"), fields);
    }

    @Test
    void aBatchLongerThanSevenDaysIsRejected() {
        BatchEvent e = valid();
        BatchEvent week = e.toBuilder().step(1L).startedAt(T0).endedAt(T0.plusSeconds(7 * 86400 + 1)).samples(1L).tokens(0L)
                .flops(null).acceleratorCount(1).utilization(null).cpuSeconds(null).cpuType(null).cpuCores(null).build();
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

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aJsonNullRecordIsRefusedNotReadAsAnEvent() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventJson.decode(utf8("null"), BatchEvent.class));
        assertEquals("the record is JSON null, not an event", e.reason());
    }

    @Test
    void hugeExponentsAreRefusedWhileReadingAndNameTheField() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.decode(utf8("{\"flops\":1e999999999}"), BatchEvent.class));
        assertEquals("flops", e.field());
        assertEquals("is too large: at most 64 digits before the decimal point are accepted", e.reason());
        InvalidEventException negative = assertThrows(InvalidEventException.class,
                () -> EventJson.decode(utf8("{\"flops\":-1e999999999}"), BatchEvent.class));
        assertEquals("flops", negative.field());
        InvalidEventException tiny = assertThrows(InvalidEventException.class,
                () -> EventJson.decode(utf8("{\"energyJoules\":{\"cpu\":1e-999999999}}"), EnergyEvent.class));
        assertEquals("energyJoules.cpu", tiny.field());
        assertEquals("has too many decimal places: at most 64 are accepted", tiny.reason());
        // a double field reads a huge exponent as infinity, which validation refuses
        BatchEvent infinite = EventJson.decode(EventJson.encodeToString(valid()).replace("\"utilization\":0.75",
                "\"utilization\":1e999999999").getBytes(StandardCharsets.UTF_8), BatchEvent.class);
        assertEquals(List.of(new Violation("utilization", "must be in 0..1, was Infinity")), BatchValidation.validate(infinite));
    }

    @Test
    void flopsAreBoundedSoThatWhatTheFrontDoorAcceptsCanBeCounted() {
        BatchEvent e = EventJson.decode(EventJson.encodeToString(valid()).replace("123456789012345678901234567890", "1e40")
                .getBytes(StandardCharsets.UTF_8), BatchEvent.class);
        assertEquals(List.of(new Violation("flops", "must be in 0..1e30")), BatchValidation.validate(e));
    }

    @Test
    void instantsOutsideTheCenturyAreRefusedWhileReading() {
        for (String t : List.of("1600-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
                "1999-12-31T23:59:59Z", "2100-01-01T00:00:01Z")) {
            InvalidEventException e = assertThrows(InvalidEventException.class,
                    () -> EventJson.decode(utf8("{\"startedAt\":\"" + t + "\"}"), BatchEvent.class), t);
            assertEquals("startedAt", e.field());
            assertTrue(e.reason().startsWith("must be between 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z, was "), e.reason());
        }
        assertEquals(Instant.parse("2000-01-01T00:00:00Z"),
                EventJson.decode(utf8("{\"startedAt\":\"2000-01-01T00:00:00Z\"}"), BatchEvent.class).startedAt());
    }

    @Test
    void duplicatedKeysAreRefusedAndNamed() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.decode(utf8("{\"jobId\":\"a\",\"jobId\":\"b\"}"), BatchEvent.class));
        assertEquals("jobId", e.field());
        assertEquals("the key \"jobId\" appears more than once", e.reason());
    }

    @Test
    void typeErrorsNameJsonTypesNeverJavaClasses() {
        for (String json : List.of("{\"startedAt\":[1]}", "{\"startedAt\":\"yesterday\"}", "{\"flops\":\"x\"}",
                "{\"flops\":{}}", "{\"step\":1e999999999}", "{\"phase\":7}", "{\"eventId\":\"not-a-uuid\"}", "[1]")) {
            InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventJson.decode(utf8(json), BatchEvent.class));
            assertFalse(e.reason().matches("(?s).*(java\\.|io\\.carbonstream|com\\.fasterxml|jakarta\\.).*"), json + " -> " + e.reason());
        }
        assertEquals("expected an ISO-8601 instant such as 2026-01-01T00:00:00Z", EventJson.describe(assertThrows(
                com.fasterxml.jackson.databind.JsonMappingException.class,
                () -> EventJson.mapper().readValue("{\"startedAt\":[1]}", BatchEvent.class))));
    }

    @Test
    void energyEventsBreakingTheContractAreNamed() {
        EnergyEvent ok = new EnergyEvent(1, UUID.randomUUID(), "job-1", "t", "0", 0L, Phase.PRETRAIN, T0, T0.plusSeconds(1),
                1L, 0L, null, "nvidia-t4", 1, "aws-eu-north-1",
                new Energy(BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO), 1.0, EnergyMethod.MODELED, "nvidia-t4", 1, T0);
        assertEquals(List.of(), EventValidation.energy(ok));
        EnergyEvent future = new EnergyEvent(999, null, "x".repeat(200_000), null, "0", 0L, Phase.PRETRAIN, T0, T0.plusSeconds(1),
                1L, 0L, null, null, 0, "dc", new Energy(new BigDecimal("1e309"), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                new BigDecimal("-1e16")), 1.0, null, null, null, T0);
        assertEquals(List.of("schemaVersion", "eventId", "jobId", "tenant", "energyJoules.accelerator", "energyJoules.idle", "method"),
                EventValidation.energy(future).stream().map(Violation::field).toList());
    }

    @Test
    void aDeadLetterOfAHugeValueKeepsItsStartSizeAndHash() {
        byte[] quotes = "\"".repeat(900_000).getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.of("s", "training.batches", 0, 1, "k".repeat(5000), null, "r".repeat(5000), quotes, T0);
        assertEquals(900_000, letter.payloadBytes());
        assertTrue(letter.payloadTruncated());
        assertEquals(DeadLetter.MAX_TRUNCATED_PAYLOAD_CHARS, letter.payload().length());
        assertEquals(DeadLetter.sha256(quotes), letter.payloadSha256());
        assertFalse(letter.hasWholePayload());
        assertTrue(EventJson.encode(letter).length < 64 * 1024, "the letter fits any producer's request size");
        DeadLetter small = DeadLetter.of("s", "training.batches", 0, 1, "k", null, "r", utf8("{}"), T0);
        assertTrue(small.hasWholePayload());
        assertEquals("{}", small.payload());
        // the worst case for escaping, control characters, still fits 1 MiB whole
        byte[] controls = new byte[DeadLetter.MAX_WHOLE_PAYLOAD_BYTES];
        assertTrue(EventJson.encode(DeadLetter.of("s", "t", 0, 1, "k", null, "r", controls, T0)).length < 1_000_000);
    }

    @Test
    void malformedJsonIsDescribedWithoutTheParsersInternals() {
        for (String json : List.of("{\"jobId\":\"a\"", "{\"jobId\":", "{\"a\":tru}", "{\"jobId\":\"a\"} trailing")) {
            InvalidEventException e = assertThrows(InvalidEventException.class,
                    () -> EventJson.decode(json.getBytes(StandardCharsets.UTF_8), BatchEvent.class), json);
            assertTrue(e.reason().startsWith("malformed JSON: "), json + ": " + e.reason());
            assertFalse(e.reason().contains("Source") || e.reason().contains("StreamReadFeature")
                    || e.reason().contains("REDACTED"), json + ": " + e.reason());
        }
        InvalidEventException open = assertThrows(InvalidEventException.class,
                () -> EventJson.decode(utf8("{\"jobId\":\"a\""), BatchEvent.class));
        assertTrue(open.reason().contains("line 1, column 1"), open.reason());
        InvalidEventException array = assertThrows(InvalidEventException.class, () -> EventJson.decode(utf8("[1,2]"), BatchEvent.class));
        assertEquals("expected a JSON object", array.reason());
    }

    @Test
    void textIsBoundedAndFreeOfWhatPostgresqlCannotStore() {
        List<Violation> v = new java.util.ArrayList<>();
        BatchValidation.text(v, "name", "n".repeat(Limits.MAX_TEXT_LENGTH), Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.text(v, "name", "emoji \uD83D\uDE00 and accents: é", Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.text(v, "model", null, Limits.MAX_TEXT_LENGTH, false);
        assertEquals(List.of(), v);
        BatchValidation.text(v, "name", "n".repeat(Limits.MAX_TEXT_LENGTH + 1), Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.text(v, "name", "a\u0000b", Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.text(v, "name", "a\uD83Db", Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.text(v, "name", "trailing \uDE00", Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.text(v, "name", " ", Limits.MAX_TEXT_LENGTH, true);
        assertEquals(List.of(
                new Violation("name", "is longer than 256 characters (257)"),
                new Violation("name", "must not contain the NUL character (U+0000), at index 1"),
                new Violation("name", "must be valid Unicode: an unpaired surrogate (U+D83D) at index 1"),
                new Violation("name", "must be valid Unicode: an unpaired surrogate (U+DE00) at index 9"),
                new Violation("name", "is required")), v);
    }

    /** The fast reading of the usual instant form gives what java.time gives, and leaves every other text to Jackson. */
    @Test
    void theUsualInstantFormIsReadAsJavaTimeReadsItAndAnythingElseIsLeftToJackson() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
            // Instant.toString writes 0, 3, 6 or 9 digits of fraction; cut to any length from 0 to 9
            String iso = t.toString();
            String whole = iso.substring(0, 19);
            if (whole.startsWith("+") || whole.startsWith("-") || iso.length() < 20) {
                continue;
            }
            String digits = String.format("%09d", t.getNano()).substring(0, random.nextInt(10));
            String text = whole + (digits.isEmpty() ? "" : "." + digits) + "Z";
            assertEquals(Instant.parse(text), ContractDeserializers.BoundedInstant.utc(text.toCharArray(), 0, text.length()), text);
        }
        String padded = "xx2026-12-01T10:20:30.5Zyy";
        assertEquals(Instant.parse("2026-12-01T10:20:30.500Z"), ContractDeserializers.BoundedInstant.utc(padded.toCharArray(), 2, 22));
        for (String other : List.of("2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z",
                "2026-12-31T23:59:60Z", "2026-12-01T00:00:00.Z", "2026-12-01T00:00:00.1234567890Z", "2026-12-01t00:00:00Z",
                "2026-12-01T00:00:00z", "2026-12-01T00:00:00+01:00", "2026-12-01 00:00:00Z", "+2026-12-01T00:00:00Z",
                "2026-12-01T00:00:0xZ", "2026-12-01T00:00:00,5Z", "1e9", "", "2026-12-01")) {
            assertEquals(null, ContractDeserializers.BoundedInstant.utc(other.toCharArray(), 0, other.length()), other);
        }
        assertEquals(Instant.parse("2024-02-29T00:00:00Z"),
                ContractDeserializers.BoundedInstant.utc("2024-02-29T00:00:00Z".toCharArray(), 0, 20), "a leap day");
        // what the fast reading leaves to Jackson is still read or refused as before
        assertEquals(Instant.parse("2026-12-01T09:00:00Z"), EventJson.decode(
                "{\"at\":\"2026-12-01T10:00:00+01:00\"}".getBytes(StandardCharsets.UTF_8), At.class).at());
        InvalidEventException bad = assertThrows(InvalidEventException.class,
                () -> EventJson.decode("{\"at\":\"2026-02-30T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8), At.class));
        assertEquals("at", bad.field());
    }

    /** Instants are written as DateTimeFormatter.ISO_INSTANT writes them, with or without the fast writer. */
    @Test
    void instantsAreWrittenAsIsoInstantWritesThem() {
        java.util.Random random = new java.util.Random(11);
        long firstSecond = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long lastSecond = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        java.util.List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(-1),
                Instant.ofEpochSecond(firstSecond), Instant.ofEpochSecond(lastSecond, 999_999_999),
                Instant.ofEpochSecond(firstSecond - 1), Instant.ofEpochSecond(lastSecond + 1), Instant.MIN, Instant.MAX,
                Instant.parse("2024-02-29T23:59:59.001Z"), Instant.parse("2026-12-01T10:20:30.000100Z"),
                Instant.parse("2026-12-01T10:20:30.000000001Z"), Instant.parse("2026-12-01T10:20:30.120Z"),
                Instant.parse("2026-12-01T10:20:30.100200300Z")));
        for (int i = 0; i < 20_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(random.nextLong(firstSecond - 86_400L * 400, lastSecond + 86_400L * 400), nanos));
        }
        char[] out = new char[30];
        for (Instant t : instants) {
            String expected = java.time.format.DateTimeFormatter.ISO_INSTANT.format(t);
            int length = ContractDeserializers.UtcInstantWriter.utc(t, out);
            if (length < 0) {
                assertTrue(t.isBefore(Instant.ofEpochSecond(firstSecond)) || t.isAfter(Instant.ofEpochSecond(lastSecond, 999_999_999)),
                        "only years outside 0 to 9999 are left to Jackson: " + expected);
            } else {
                assertEquals(expected, new String(out, 0, length));
            }
            // the event's JSON, fast writer or Jackson's, is the formatter's text and reads back to the same instant
            assertEquals("{\"at\":\"" + expected + "\"}", EventJson.encodeToString(new At(t)));
        }
        assertEquals(Instant.parse("2026-12-01T10:20:30.5Z"), EventJson.decode(EventJson.encode(
                new At(Instant.parse("2026-12-01T10:20:30.5Z"))), At.class).at());
    }

    record At(Instant at) {
    }
}
