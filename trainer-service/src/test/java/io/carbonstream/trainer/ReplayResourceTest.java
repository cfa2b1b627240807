package io.carbonstream.trainer;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "trainer"))
@AsAdmin
class ReplayResourceTest {

    @Test
    void aDeclaredRunIsReplayedAsBatchesOfItsWindowsAndItsJobFinishes() throws Exception {
        Instant start = Instant.parse("2026-01-10T00:00:00Z");
        String job = given().contentType("application/json").body("""
                        {"tenant":"research","name":"T5 (Patterson 2021)","acceleratorType":"google-tpu-v3",
                         "acceleratorCount":512,"hours":3,"averagePowerWatts":310,"datacenter":"gcp-us-central1",
                         "startedAt":"%s","acceleratorsPerWorker":256,"windowsPerSecond":0}""".formatted(start))
                .when().post("/replays")
                .then().statusCode(202).body("windows", equalTo(3)).body("workers", equalTo(2))
                .extract().path("jobId");
        String state = "RUNNING";
        for (int i = 0; i < 100 && state.equals("RUNNING"); i++) {
            Thread.sleep(100);
            state = given().when().get("/replays/" + job).then().statusCode(200).extract().path("state");
        }
        assertEquals("FINISHED", state);
        given().when().get("/jobs/" + job).then().body("state", equalTo("FINISHED"))
                .body("startedAt", equalTo("2026-01-10T00:00:00Z")).body("workers", equalTo(2));

        try (TopicProbe probe = new TopicProbe(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TRAINING_BATCHES)) {
            List<BatchEvent> events = probe.readUntil(job, r -> r.value().contains("\"step\":2,") && r.value().contains("\"workerId\":\"1\""),
                            Duration.ofSeconds(30)).stream().map(ConsumerRecord::value)
                    .map(v -> EventJson.decode(v.getBytes(StandardCharsets.UTF_8), BatchEvent.class))
                    .sorted(Comparator.comparing(BatchEvent::step).thenComparing(BatchEvent::workerId)).toList();
            assertEquals(6, events.size());
            for (BatchEvent e : events) {
                assertEquals(256, e.acceleratorCount());
                assertEquals(256 * 310.0, e.measuredPowerWatts());
                assertEquals(PowerSource.DECLARED, e.powerSource());
                assertEquals(Duration.ofHours(1), Duration.between(e.startedAt(), e.endedAt()));
                assertEquals(start.plus(Duration.ofHours(e.step())), e.startedAt());
            }
        }
    }

    @Test
    void aRunThatHasNotEndedOrHasTwoLengthsIsRejected() {
        given().contentType("application/json").body("""
                        {"tenant":"t","name":"n","acceleratorType":"nvidia-t4","acceleratorCount":1,"hours":1,"days":1,
                         "datacenter":"aws-us-east-1"}""")
                .when().post("/replays").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("hours"))
                .body("violations[0].message", equalTo("give exactly one of hours, days or deviceHours"));
        given().contentType("application/json").body("""
                        {"tenant":"t","name":"n","acceleratorType":"nvidia-t4","acceleratorCount":1,"hours":10,
                         "datacenter":"aws-us-east-1","startedAt":"%s"}""".formatted(Instant.now().minusSeconds(60)))
                .when().post("/replays").then().statusCode(400).body("violations[0].field", equalTo("startedAt"));
    }
}
