package io.carbonstream.trainer;

import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "trainer"))
@AsAdmin
class JobResourceTest {

    static final String JOB = """
            {"tenant":"team-nlp","name":"gpt2-small pretraining","model":"gpt2-small","modelParameters":124000000,
             "acceleratorType":"nvidia-a100-sxm4-40gb","acceleratorsPerWorker":8,"workers":2,"datacenter":"gcp-europe-west4",
             "plannedSteps":10000}""";

    @Test
    void registeredJobIsRunningWithDefaultsAndCanBeReadBack() {
        String id = given().contentType("application/json").body(JOB)
                .when().post("/jobs")
                .then().statusCode(201)
                .body("state", equalTo("RUNNING"))
                .body("phase", equalTo("PRETRAIN"))
                .body("acceleratorsPerWorker", equalTo(8))
                .body("workers", equalTo(2))
                .body("startedAt", notNullValue())
                .extract().path("id");

        given().when().get("/jobs/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("tenant", equalTo("team-nlp"))
                .body("modelParameters", equalTo(124000000))
                .body("plannedSteps", equalTo(10000));

        given().queryParam("tenant", "team-nlp").when().get("/jobs")
                .then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void jobWithAChosenIdIsRegisteredOnceThenConflicts() {
        String body = JOB.replace("{\"tenant\"", "{\"id\":\"job-chosen-1\",\"tenant\"");
        given().contentType("application/json").body(body).when().post("/jobs")
                .then().statusCode(201).header("Location", endsWith("/jobs/job-chosen-1"));
        given().contentType("application/json").body(body).when().post("/jobs")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("job job-chosen-1 already exists"));
    }

    @Test
    void jobWithoutNameOrDatacenterIsRejectedNamingBothFields() {
        // the tenant is the token's (docs/security.md): a body needs no tenant
        given().contentType("application/json")
                .body("{\"acceleratorType\":\"nvidia-t4\"}")
                .when().post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("name", "datacenter"))
                .body("violations.message", org.hamcrest.Matchers.everyItem(equalTo("is required")));
    }

    @Test
    void idsThatNoBatchCouldCarryAreRefusedWhenTheJobIsRegistered() {
        // a tenant or data centre with a space would make every batch of the job invalid: refused at the door
        given().contentType("application/json")
                .body("{\"tenant\":\"team nlp\",\"name\":\"x\",\"acceleratorType\":\"nvidia t4\",\"datacenter\":\"dc\\u0000\"}")
                .when().post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("tenant", "acceleratorType", "datacenter"))
                .body("violations.message", org.hamcrest.Matchers.everyItem(equalTo("must be printable ASCII without spaces")));
        given().contentType("application/json")
                .body("{\"tenant\":\"t\",\"name\":\"x\",\"acceleratorType\":\"nvidia-t4\",\"datacenter\":\"dc\",\"startedAt\":\"1600-01-01T00:00:00Z\"}")
                .when().post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("startedAt"));
    }

    @Test
    void finishedJobIsFinishedOnceAndThenConflicts() {
        String id = given().contentType("application/json").body(JOB).when().post("/jobs")
                .then().statusCode(201).extract().path("id");
        given().contentType("application/json").body("{\"state\":\"FINISHED\"}")
                .when().post("/jobs/" + id + "/finish")
                .then().statusCode(200).body("state", equalTo("FINISHED")).body("finishedAt", notNullValue());
        given().when().post("/jobs/" + id + "/finish")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void registeringAndFinishingAJobArePublishedToTrainingJobs() {
        String id = given().contentType("application/json").body(JOB).when().post("/jobs")
                .then().statusCode(201).extract().path("id");
        given().when().post("/jobs/" + id + "/finish").then().statusCode(200);
        try (var probe = new io.carbonstream.testing.TopicProbe(
                io.carbonstream.testing.TestInfrastructure.shared().kafka().bootstrapServers(), io.carbonstream.events.Topics.TRAINING_JOBS)) {
            var records = probe.readUntil(id, r -> r.value().contains("\"state\":\"FINISHED\""), java.time.Duration.ofSeconds(20));
            var last = io.carbonstream.events.EventJson.decode(records.get(records.size() - 1).value()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), io.carbonstream.events.JobEvent.class);
            org.junit.jupiter.api.Assertions.assertEquals("gpt2-small", last.model());
            org.junit.jupiter.api.Assertions.assertEquals(10000L, last.plannedSteps());
            org.junit.jupiter.api.Assertions.assertEquals("RUNNING", io.carbonstream.events.EventJson.decode(records.get(0).value()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), io.carbonstream.events.JobEvent.class).state());
        }
    }

    @Test
    void unknownJobIsNotFoundAsProblemJson() {
        given().when().get("/jobs/no-such-job")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no job no-such-job is registered"))
                .body("instance", equalTo("/jobs/no-such-job"));
    }
}
