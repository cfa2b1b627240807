package io.carbonstream.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.events.PowerSource;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "trainer"))
@AsAdmin
class BatchResourceTest {

    final Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    String registerJob() {
        return given().contentType("application/json").body("""
                        {"tenant":"team-vision","name":"resnet50","acceleratorType":"nvidia-v100-sxm2-32gb",
                         "acceleratorsPerWorker":4,"workers":2,"datacenter":"aws-us-east-1","startedAt":"%s"}"""
                        .formatted(t0))
                .when().post("/jobs").then().statusCode(201).extract().path("id");
    }

    String batch(long step, String extra) {
        return """
                {"workerId":"1","step":%d,"startedAt":"%s","endedAt":"%s","samples":256,"tokens":0%s}"""
                .formatted(step, t0.plusSeconds(step), t0.plusSeconds(step).plusMillis(750), extra);
    }

    List<BatchEvent> eventsOf(String jobId, UUID lastEventId) {
        try (TopicProbe probe = new TopicProbe(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TRAINING_BATCHES)) {
            return probe.readUntil(jobId, r -> r.value().contains(lastEventId.toString()), Duration.ofSeconds(20)).stream()
                    .map(ConsumerRecord::value)
                    .map(v -> EventJson.decode(v.getBytes(StandardCharsets.UTF_8), BatchEvent.class))
                    .toList();
        }
    }

    @Test
    void acceptedBatchReachesKafkaKeyedByJobWithTheJobsHardwareAndDatacenter() {
        String job = registerJob();
        String eventId = given().contentType("application/json")
                .body(batch(7, ",\"flops\":1.5E15,\"utilization\":0.8,\"measuredPowerWatts\":1210.5,\"powerSource\":\"NVML\",\"cpuSeconds\":1.25"))
                .when().post("/jobs/" + job + "/batches")
                .then().statusCode(202)
                .body("jobId", equalTo(job)).body("accepted", equalTo(1)).body("eventIds", hasSize(1))
                .extract().path("eventIds[0]");

        List<BatchEvent> events = eventsOf(job, UUID.fromString(eventId));
        assertEquals(1, events.size());
        BatchEvent e = events.get(0);
        assertEquals(BatchEvent.builder().schemaVersion(1).eventId(UUID.fromString(eventId)).jobId(job).tenant("team-vision")
                .workerId("1").step(7L).phase(Phase.PRETRAIN).startedAt(t0.plusSeconds(7))
                .endedAt(t0.plusSeconds(7).plusMillis(750)).samples(256L).tokens(0L).flops(new BigDecimal("1500000000000000"))
                .acceleratorType("nvidia-v100-sxm2-32gb").acceleratorCount(4).utilization(0.8).measuredPowerWatts(1210.5)
                .powerSource(PowerSource.NVML).cpuSeconds(1.25).datacenter("aws-us-east-1").build(), e);
        assertEquals(BatchEvent.deriveEventId(job, "1", Phase.PRETRAIN, 7), e.eventId(),
                "a report without an event id gets the id derived from job, worker, phase and step");
    }

    @Test
    void anArrayOfReportsIsAcceptedWholeAndARetryKeepsTheSameEventIds() {
        String job = registerJob();
        String body = "[" + batch(0, "") + "," + batch(1, "") + "," + batch(2, "") + "]";
        List<String> first = given().contentType("application/json").body(body)
                .when().post("/jobs/" + job + "/batches")
                .then().statusCode(202).body("accepted", equalTo(3)).extract().path("eventIds");
        List<String> retry = given().contentType("application/json").body(body)
                .when().post("/jobs/" + job + "/batches")
                .then().statusCode(202).extract().path("eventIds");
        assertEquals(first, retry);
        List<BatchEvent> events = eventsOf(job, UUID.fromString(first.get(2)));
        assertEquals(List.of(0L, 1L, 2L), events.stream().map(BatchEvent::step).toList());
    }

    @Test
    void invalidReportsAreRejectedNamingTheFieldAndNothingReachesKafka() {
        String job = registerJob();
        String path = "/jobs/" + job + "/batches";
        // negative duration
        given().contentType("application/json")
                .body("{\"step\":1,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":1}".formatted(t0.plusSeconds(5), t0))
                .when().post(path).then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("endedAt"))
                .body("violations[0].message", org.hamcrest.Matchers.startsWith("must be after startedAt"));
        // missing fields
        given().contentType("application/json").body("{\"step\":1}")
                .when().post(path).then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("startedAt", "endedAt", "samples"));
        // wrong type, named with its path inside an array
        given().contentType("application/json").body("[" + batch(1, "") + ",{\"step\":\"two\"}]")
                .when().post(path).then().statusCode(400)
                .body("violations[0].field", equalTo("[1].step"))
                .body("violations[0].message", equalTo("cannot read \"two\" as an integer"));
        // one bad report in an array rejects the whole array
        given().contentType("application/json").body("[" + batch(1, "") + "," + batch(2, ",\"utilization\":1.5") + "]")
                .when().post(path).then().statusCode(400)
                .body("violations[0].field", equalTo("[1].utilization"));
        // malformed JSON
        given().contentType("application/json").body("{\"step\":")
                .when().post(path).then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("malformed JSON"));
        // the body is read without a tree: malformed JSON or a duplicated key anywhere wins over a bad report before it
        given().contentType("application/json").body("[{\"step\":\"two\"}," + batch(2, "") + ",{\"step\":")
                .when().post(path).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("malformed JSON"));
        given().contentType("application/json").body("[{\"step\":\"two\"}," + batch(2, ",\"samples\":3") + "]")
                .when().post(path).then().statusCode(400)
                .body("violations[0].field", equalTo("samples"))
                .body("violations[0].message", equalTo("the key \"samples\" appears more than once"));
        // a string over the contract's limit is refused wherever it is, in a field no report has too, before a bad report
        given().contentType("application/json").body("[{\"step\":\"two\"},{\"note\":\"" + "x".repeat((1 << 20) + 1) + "\"}]")
                .when().post(path).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("malformed JSON"))
                .body("detail", org.hamcrest.Matchers.containsString("length"));
        // an element that is not an object, JSON null included, is named by its index
        for (String element : List.of("null", "5", "\"x\"", "[]")) {
            given().contentType("application/json").body("[" + batch(1, "") + "," + element + "]")
                    .when().post(path).then().statusCode(400)
                    .body("violations[0].field", equalTo("[1]"))
                    .body("violations[0].message", equalTo("must be a JSON object"));
        }
        // one value per body: anything after the object or the array is malformed
        for (String body : List.of(batch(1, "") + " " + batch(2, ""), "[" + batch(1, "") + "] []", "[" + batch(1, "") + "]]")) {
            given().contentType("application/json").body(body)
                    .when().post(path).then().statusCode(400)
                    .body("detail", org.hamcrest.Matchers.startsWith("malformed JSON"));
        }
        // a body of white space or of a scalar is not a report
        for (String body : List.of("   ", "42", "null")) {
            given().contentType("application/json").body(body)
                    .when().post(path).then().statusCode(400)
                    .body("violations[0].message", equalTo("must be a JSON object"));
        }
        // a batch that ends in the future
        given().contentType("application/json")
                .body("{\"step\":1,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":1}".formatted(t0, Instant.now().plus(1, ChronoUnit.HOURS)))
                .when().post(path).then().statusCode(400).body("violations[0].field", equalTo("endedAt"))
                .body("violations[0].message", org.hamcrest.Matchers.startsWith("is in the future"));
        // a batch before the job started
        given().contentType("application/json")
                .body("{\"step\":1,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":1}".formatted(t0.minus(1, ChronoUnit.DAYS), t0.minus(1, ChronoUnit.DAYS).plusSeconds(1)))
                .when().post(path).then().statusCode(400).body("violations[0].field", equalTo("startedAt"));
        // measured power without its source
        given().contentType("application/json").body(batch(3, ",\"measuredPowerWatts\":300"))
                .when().post(path).then().statusCode(400).body("violations[0].field", equalTo("powerSource"));

        String marker = given().contentType("application/json").body(batch(99, ""))
                .when().post(path).then().statusCode(202).extract().path("eventIds[0]");
        List<BatchEvent> events = eventsOf(job, UUID.fromString(marker));
        assertEquals(List.of(99L), events.stream().map(BatchEvent::step).toList(), "only the valid batch reached Kafka");
    }

    @Test
    void unknownAndFinishedJobsAcceptNoBatches() {
        given().contentType("application/json").body(batch(1, ""))
                .when().post("/jobs/no-such-job/batches")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("jobId"))
                .body("violations[0].message", equalTo("no job no-such-job is registered"));

        String job = registerJob();
        given().when().post("/jobs/" + job + "/finish").then().statusCode(200);
        given().contentType("application/json").body(batch(1, ""))
                .when().post("/jobs/" + job + "/batches")
                .then().statusCode(400)
                .body("violations[0].message", equalTo("job " + job + " is FINISHED and accepts no more batches"));
    }

    @Test
    void tooManyReportsInOneRequestAreRejected() {
        String job = registerJob();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            body.append(i == 0 ? "" : ",").append("{}");
        }
        JsonNode problem = given().contentType("application/json").body(body.append("]").toString())
                .when().post("/jobs/" + job + "/batches")
                .then().statusCode(400).extract().as(JsonNode.class);
        assertEquals("1001 reports in one request; at most 1000 are accepted", problem.get("detail").asText());
    }
}
