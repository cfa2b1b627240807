package io.carbonstream.trainer;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "trainer"))
@AsAdmin
class TrainerResourceTest {

    @Test
    void builtInRunReportsEveryBatchWithMeasuredTimeCpuAndExactFlopsAndItsLossFalls() throws Exception {
        String job = given().contentType("application/json").body("{\"steps\":40,\"batchSize\":64}")
                .when().post("/trainer/runs")
                .then().statusCode(202).body("state", equalTo("RUNNING")).body("steps", equalTo(40))
                .extract().path("jobId");
        JsonPath status = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            status = given().when().get("/trainer/runs/" + job).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(status.getString("state"))) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("FINISHED", status.getString("state"));
        assertEquals(40, status.getInt("step"));
        assertTrue(status.getDouble("loss") < status.getDouble("firstLoss"), "loss fell: " + status.prettify());
        given().when().get("/jobs/" + job).then().statusCode(200).body("state", equalTo("FINISHED"))
                .body("cpuType", equalTo("cpu-unknown")).body("acceleratorsPerWorker", equalTo(0));

        // W = 8 x 24 x 256 + 256 x V, V = the corpus alphabet
        long vocabulary = new io.carbonstream.trainer.builtin.Corpus(4000, 7).vocabulary();
        BigDecimal flopsPerBatch = BigDecimal.valueOf(6 * (8 * 24 * 256 + 256 * vocabulary) * 64);
        try (TopicProbe probe = new TopicProbe(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TRAINING_BATCHES)) {
            List<BatchEvent> events = probe.readUntil(job, r -> r.value().contains("\"step\":39,"), Duration.ofSeconds(30))
                    .stream().map(ConsumerRecord::value)
                    .map(v -> EventJson.decode(v.getBytes(StandardCharsets.UTF_8), BatchEvent.class)).toList();
            assertEquals(40, events.size());
            for (BatchEvent e : events) {
                assertEquals(0, flopsPerBatch.compareTo(e.flops()), "flops of step " + e.step());
                assertEquals(64L, e.tokens());
                assertTrue(e.cpuSeconds() > 0, "cpu time measured");
                assertTrue(e.endedAt().isAfter(e.startedAt()));
                assertEquals("on-prem-de", e.datacenter());
                assertEquals(1, e.cpuCores());
            }
        }
    }

    @Test
    void absurdRunsAreRejected() {
        given().contentType("application/json").body("{\"steps\":0,\"batchSize\":100000}")
                .when().post("/trainer/runs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.contains("steps", "batchSize"));
    }
}
