package io.carbonstream.telemetry.streams;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import io.carbonstream.telemetry.TestCatalog;
import io.carbonstream.telemetry.catalog.CatalogRepository;
import jakarta.inject.Inject;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
@AsAdmin
class BatchEnergyStreamTest {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    String kafka() {
        return TestInfrastructure.shared().kafka().bootstrapServers();
    }

    @Inject
    CatalogRepository applied;

    @BeforeEach
    void catalog() throws Exception {
        TestCatalog.install();
        applied.refresh().await().atMost(Duration.ofSeconds(30)); // applies it now, not at the next periodic refresh
    }

    static BatchEvent batch(String job, long step, String hardware) {
        return batch(job, step, T0.plusSeconds(step), T0.plusSeconds(step).plusMillis(1500)).flops(new BigDecimal("1000000000000"))
                .acceleratorType(hardware).acceleratorCount(8).utilization(0.8).build();
    }

    /** A valid batch of worker 0 of {@code job} (tenant-a, dc-1, 32 samples, 4096 tokens), without hardware. */
    private static BatchEvent.Builder batch(String job, long step, Instant from, Instant to) {
        return BatchEvent.builder().schemaVersion(1).eventId(UUID.randomUUID()).jobId(job).tenant("tenant-a").workerId("0")
                .step(step).phase(Phase.PRETRAIN).startedAt(from).endedAt(to).samples(32L).tokens(4096L).datacenter("dc-1");
    }

    static <T> T decode(ConsumerRecord<String, String> r, Class<T> type) {
        return EventJson.decode(r.value().getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void eachBatchBecomesOneEnergyEventKeyedByJobWithExactJoules() {
        String job = "job-" + UUID.randomUUID();
        BatchEvent b = batch(job, 1, TestCatalog.GPU);
        TopicProbe.produce(kafka(), Topics.TRAINING_BATCHES, job, EventJson.encodeToString(b));

        try (TopicProbe probe = new TopicProbe(kafka(), Topics.TELEMETRY_ENERGY)) {
            List<ConsumerRecord<String, String>> records = probe.readUntil(job, r -> true, Duration.ofSeconds(30));
            EnergyEvent e = decode(records.get(0), EnergyEvent.class);
            assertEquals(job, records.get(0).key());
            assertEquals(b.eventId(), e.eventId());
            // 8 x (50 + 350 x 0.8) W x 1.5 s
            assertEquals(new BigDecimal("3960.000000"), e.energyJoules().total());
            assertEquals(EnergyMethod.MODELED, e.method());
            assertEquals(TestCatalog.GPU, e.powerModelId());
            assertEquals(b.flops(), e.flops());
            assertEquals("dc-1", e.datacenter());
        }
    }

    @Test
    void idleTimeBetweenAWorkersBatchesIsChargedAtIdlePowerWhateverTheOrder() {
        String job = "job-" + UUID.randomUUID();
        // worker 0: A [0 s, 1.5 s], C [3.5 s, 5 s], then B [2 s, 3 s] arrives late; 8 GPUs idle at 50 W = 400 W
        BatchEvent a = timed(job, 0, 0, 1500);
        BatchEvent c = timed(job, 2, 3500, 5000);
        BatchEvent b = timed(job, 1, 2000, 3000);
        TopicProbe.produce(kafka(), Topics.TRAINING_BATCHES, job, EventJson.encodeToString(a), job,
                EventJson.encodeToString(c), job, EventJson.encodeToString(b), job, EventJson.encodeToString(b));
        try (TopicProbe probe = new TopicProbe(kafka(), Topics.TELEMETRY_ENERGY)) {
            int[] seen = {0};
            List<EnergyEvent> events = probe.readUntil(job, r -> ++seen[0] == 4, Duration.ofSeconds(30)).stream()
                    .map(r -> decode(r, EnergyEvent.class)).toList();
            assertJoules("0", events.get(0).energyJoules().idle(), "nothing before A");
            assertJoules("800", events.get(1).energyJoules().idle(), "2 s gap before C");
            assertJoules("-400", events.get(2).energyJoules().idle(), "B fills 1 s of it");
            assertJoules("0", events.get(3).energyJoules().idle(), "a redelivered B changes nothing");
            BigDecimal idle = events.stream().map(e -> e.energyJoules().idle()).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertJoules("400", idle, "0.5 s + 0.5 s at 400 W");
        }
    }

    /** Idle adjustments are exact decimals of varying scale: compare values. */
    static void assertJoules(String expected, BigDecimal actual, String why) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), why + ": expected " + expected + " J, was " + actual);
    }

    static BatchEvent timed(String job, long step, long fromMillis, long toMillis) {
        return batch(job, step, T0.plusMillis(fromMillis), T0.plusMillis(toMillis)).acceleratorType(TestCatalog.GPU)
                .acceleratorCount(8).utilization(0.8).build();
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() {
        String job = "job-" + UUID.randomUUID();
        BatchEvent unknownHardware = batch(job, 1, "no-such-gpu");
        BatchEvent negative = batch(job, 2L, T0.plusSeconds(5), T0).samples(1L).tokens(0L).acceleratorType(TestCatalog.GPU)
                .acceleratorCount(1).build();
        BatchEvent good = batch(job, 3, TestCatalog.GPU);
        TopicProbe.produce(kafka(), Topics.TRAINING_BATCHES,
                job, "{not json",
                job, EventJson.encodeToString(unknownHardware),
                job, EventJson.encodeToString(negative),
                job, EventJson.encodeToString(good));

        try (TopicProbe dlq = new TopicProbe(kafka(), Topics.deadLetterOf(Topics.TRAINING_BATCHES))) {
            List<DeadLetter> letters = dlq.readUntil(job, r -> r.value().contains("must be after startedAt"),
                    Duration.ofSeconds(30)).stream().map(r -> decode(r, DeadLetter.class)).toList();
            assertEquals(3, letters.size());
            assertEquals("telemetry-service", letters.get(0).service());
            assertEquals(Topics.TRAINING_BATCHES, letters.get(0).topic());
            assertEquals("{not json", letters.get(0).payload());
            org.hamcrest.MatcherAssert.assertThat(letters.get(0).reason(), containsString("malformed JSON"));
            assertEquals("acceleratorType", letters.get(1).field());
            assertEquals("unknown hardware profile 'no-such-gpu'", letters.get(1).reason());
            assertEquals("endedAt", letters.get(2).field());
        }
        try (TopicProbe energy = new TopicProbe(kafka(), Topics.TELEMETRY_ENERGY)) {
            List<ConsumerRecord<String, String>> records = energy.readUntil(job,
                    r -> r.value().contains(good.eventId().toString()), Duration.ofSeconds(30));
            assertEquals(1, records.size(), "only the good batch has energy");
        }
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("carbonstream_telemetry_dead_letters_total{reason=\"unknown-hardware\""));
    }

    @Test
    void recordsThatOnceStoppedTheStreamAreDeadLettersAndTheStreamGoesOn() {
        String job = "job-" + UUID.randomUUID();
        String good = EventJson.encodeToString(batch(job, 3, TestCatalog.GPU));
        String ancient = good.replace(T0.plusSeconds(3).toString(), "1600-01-01T00:00:00Z");
        String huge = good.replace("\"flops\":1000000000000", "\"flops\":1e999999999");
        String duplicated = good.replace("{", "{\"jobId\":\"" + job + "\",");
        TopicProbe.produce(kafka(), Topics.TRAINING_BATCHES,
                job, null,
                job, "null",
                job, ancient,
                job, huge,
                job, duplicated,
                job, "\"".repeat(900_000),
                job, good);
        try (TopicProbe dlq = new TopicProbe(kafka(), Topics.deadLetterOf(Topics.TRAINING_BATCHES))) {
            List<DeadLetter> letters = dlq.readUntil(job, r -> r.value().contains("\"payloadTruncated\":true"),
                    Duration.ofSeconds(30)).stream().map(r -> decode(r, DeadLetter.class)).toList();
            assertEquals(6, letters.size(), letters.toString());
            assertEquals("empty record", letters.get(0).reason());
            assertEquals("the record is JSON null, not an event", letters.get(1).reason());
            assertEquals("startedAt", letters.get(2).field());
            assertEquals("flops", letters.get(3).field());
            assertEquals("jobId", letters.get(4).field());
            assertEquals("the key \"jobId\" appears more than once", letters.get(4).reason());
            assertEquals(900_000, letters.get(5).payloadBytes());
            assertEquals(DeadLetter.MAX_TRUNCATED_PAYLOAD_CHARS, letters.get(5).payload().length());
        }
        try (TopicProbe energy = new TopicProbe(kafka(), Topics.TELEMETRY_ENERGY)) {
            assertEquals(1, energy.readUntil(job, r -> true, Duration.ofSeconds(30)).size(), "the good batch after them is priced");
        }
        given().when().get("/q/health/live").then().statusCode(200).body(containsString("stream threads"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aDeviceWithoutPublishedPowerPricesOnlyWhatItsReadingsCoverUntilItIsGivenFigures() throws Exception {
        String npu = "test-npu-" + UUID.randomUUID();
        TestCatalog.installWithoutPower(npu);
        applied.refresh().await().atMost(Duration.ofSeconds(30));
        String job = "job-" + UUID.randomUUID();
        // worker 0, 4 devices: A and C declare 600 W and touch; B has no reading; D declares 600 W after a 2 s gap
        BatchEvent a = npuBatch(job, npu, 0, 0, 1500, 600.0);
        BatchEvent c = npuBatch(job, npu, 1, 1500, 3000, 600.0);
        BatchEvent b = npuBatch(job, npu, 2, 3000, 4500, null);
        BatchEvent d = npuBatch(job, npu, 3, 5000, 6000, 600.0);
        TopicProbe.produce(kafka(), Topics.TRAINING_BATCHES, job, EventJson.encodeToString(a), job,
                EventJson.encodeToString(c), job, EventJson.encodeToString(b), job, EventJson.encodeToString(d));
        try (TopicProbe dlq = new TopicProbe(kafka(), Topics.deadLetterOf(Topics.TRAINING_BATCHES))) {
            List<DeadLetter> letters = dlq.readUntil(job, r -> r.value().contains(d.eventId().toString()),
                    Duration.ofSeconds(30)).stream().map(r -> decode(r, DeadLetter.class)).toList();
            assertEquals(2, letters.size(), "B (no reading) and D (its idle gap needs idle power)");
            assertEquals("acceleratorType", letters.get(0).field());
            org.hamcrest.MatcherAssert.assertThat(letters.get(0).reason(), containsString("'" + npu + "' has no power model"));
            org.hamcrest.MatcherAssert.assertThat(letters.get(1).reason(), containsString("PUT /hardware/" + npu));
        }
        try (TopicProbe energy = new TopicProbe(kafka(), Topics.TELEMETRY_ENERGY)) {
            List<EnergyEvent> events = energy.readUntil(job, r -> r.value().contains(c.eventId().toString()),
                    Duration.ofSeconds(30)).stream().map(r -> decode(r, EnergyEvent.class)).toList();
            assertEquals(2, events.size());
            assertEquals(new BigDecimal("900.000000"), events.get(0).energyJoules().total()); // 600 W x 1.5 s
            assertEquals(EnergyMethod.DECLARED, events.get(1).method());
            assertJoules("0", events.get(1).energyJoules().idle(), "C follows A without a gap");
        }

        given().queryParam("jobId", job).when().get("/dead-letters").then().statusCode(200)
                .body("letter.payload", org.hamcrest.Matchers.hasSize(2))
                .body("letter.field", org.hamcrest.Matchers.everyItem(equalTo("acceleratorType")))
                .body("letter.reason[0]", containsString("has no power model"));

        // sent again before the cause is fixed: each is rejected once more, as a new letter naming the old one
        String redriveJob = "{\"jobId\":\"" + job + "\",\"reasonContains\":\"no power model\"}";
        given().contentType("application/json").body(redriveJob).when().post("/dead-letters/redrive").then().statusCode(200)
                .body("matched", equalTo(2)).body("redriven", equalTo(2)).body("skipped", equalTo(0));
        awaitOpenLetters(job, 2, true);
        given().queryParam("jobId", job).queryParam("includeRedriven", true).when().get("/dead-letters").then()
                .body("redriven", org.hamcrest.Matchers.contains(true, true, false, false));

        // given figures (a new version), the refused batches go through when sent again
        given().contentType("application/json").body("""
                {"kind":"ACCELERATOR","name":"Test NPU","idleWatts":20,"maxWatts":100,"sources":"vendor sheet"}""")
                .when().put("/hardware/" + npu).then().statusCode(200).body("version", equalTo(2))
                .body("powerModel", equalTo("LINEAR"));
        given().contentType("application/json").body(redriveJob).when().post("/dead-letters/redrive").then().statusCode(200)
                .body("matched", equalTo(2)).body("redriven", equalTo(2)).body("skipped", equalTo(0));
        given().contentType("application/json").body(redriveJob).when().post("/dead-letters/redrive").then().statusCode(200)
                .body("matched", equalTo(0)).body("redriven", equalTo(0));
        try (TopicProbe energy = new TopicProbe(kafka(), Topics.TELEMETRY_ENERGY)) {
            List<EnergyEvent> events = energy.readUntil(job, r -> r.value().contains(d.eventId().toString()),
                    Duration.ofSeconds(30)).stream().map(r -> decode(r, EnergyEvent.class)).toList();
            assertEquals(4, events.size());
            EnergyEvent modelled = events.get(2);
            assertEquals(b.eventId(), modelled.eventId());
            assertEquals(EnergyMethod.MODELED, modelled.method());
            assertEquals(2, modelled.powerModelVersion());
            assertEquals(new BigDecimal("360.000000"), modelled.energyJoules().accelerator()); // 4 x (20 + 80 x 0.5) W x 1.5 s
            assertJoules("0", modelled.energyJoules().idle(), "B follows C without a gap");
            // D was never filed while refused: its 0.5 s gap after B is charged now, 4 x 20 W x 0.5 s
            assertEquals(d.eventId(), events.get(3).eventId());
            assertJoules("40", events.get(3).energyJoules().idle(), "0.5 s at 80 W idle");
            assertEquals(new BigDecimal("600.000000"), events.get(3).energyJoules().accelerator());
        }
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("carbonstream_telemetry_dead_letters_total{reason=\"no-power-model\""));
    }

    static BatchEvent npuBatch(String job, String npu, long step, long fromMillis, long toMillis, Double declaredWatts) {
        return batch(job, step, T0.plusMillis(fromMillis), T0.plusMillis(toMillis)).acceleratorType(npu).acceleratorCount(4)
                .utilization(0.5).measuredPowerWatts(declaredWatts)
                .powerSource(declaredWatts == null ? null : io.carbonstream.events.PowerSource.DECLARED).build();
    }

    @Test
    void deadLetterRequestsAreCheckedAndMalformedLettersAreNotSentAgain() {
        given().queryParam("limit", 0).when().get("/dead-letters").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("limit"));
        given().queryParam("since", "yesterday").when().get("/dead-letters").then().statusCode(400)
                .body("violations[0].field", equalTo("since"));
        given().contentType("application/json").when().post("/dead-letters/redrive").then().statusCode(400)
                .contentType("application/problem+json");
        // a record that is not JSON cannot become a batch by being sent again, but it is sent: nothing is dropped
        String job = "job-" + UUID.randomUUID();
        TopicProbe.produce(kafka(), Topics.TRAINING_BATCHES, job, "{not json");
        try (TopicProbe dlq = new TopicProbe(kafka(), Topics.deadLetterOf(Topics.TRAINING_BATCHES))) {
            dlq.readUntil(job, r -> true, Duration.ofSeconds(30));
        }
        // sending it again cannot change the verdict: it stays, open, and is not sent
        given().contentType("application/json").body("{\"jobId\":\"" + job + "\"}").when().post("/dead-letters/redrive")
                .then().statusCode(200).body("matched", equalTo(1)).body("redriven", equalTo(0)).body("skipped", equalTo(1));
        given().queryParam("jobId", job).when().get("/dead-letters").then().statusCode(200)
                .body("letter.payload", org.hamcrest.Matchers.contains("{not json"));
    }

    /** Waits until the job has {@code count} open dead letters (that rejected a redrive, if {@code redriven}). */
    static void awaitOpenLetters(String job, int count, boolean redriven) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Object> open = List.of();
        while (System.nanoTime() < deadline) {
            open = given().queryParam("jobId", job).when().get("/dead-letters").then().statusCode(200)
                    .extract().jsonPath().getList(redriven ? "findAll { it.redriveOf != null }" : "$");
            if (open.size() == count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + count + " open dead letters of " + job + ", saw " + open);
    }
}
