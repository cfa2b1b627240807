package io.carbonstream.carbon.rest;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class DatacenterResourceTest {

    @Test
    void theCitedTableSeedsTheDatabase() {
        given().when().get("/datacenters").then().statusCode(200).body("id", hasItem("gcp-europe-west4"));
        given().when().get("/datacenters/gcp-europe-west4").then().statusCode(200)
                .body("zone", equalTo("NL")).body("currentPue", equalTo(1.07f))
                .body("source", org.hamcrest.Matchers.containsString("CCF"));
    }

    @Test
    void aPueChangeAppliesToBatchesFromItsTimeEvenWhenTheyArriveLate() throws Exception {
        String id = "test-dc-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"SE","name":"test hall","pue":1.2,"source":"facility meter 2025"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(201).body("currentPue", equalTo(1.2f));
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"SE","pue":1.2,"source":"again"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(409);
        // from noon on, the hall runs at PUE 1.5
        given().contentType("application/json").body("""
                        {"validFrom":"%s","pue":1.5,"source":"cooling retrofit"}""".formatted(NOON))
                .when().post("/datacenters/" + id + "/pue").then().statusCode(201)
                .body("pue.pue", contains(1.2f, 1.5f));

        String job = "job-" + UUID.randomUUID();
        // after noon first, then a late batch from before noon; 1000 J each at SE 47 g/kWh (static)
        TopicProbe.produce(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TELEMETRY_ENERGY,
                job, EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, 60, "1000.000", id)),
                job, EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, -3600, "1000.000", id)));
        for (int i = 0; i < 100; i++) {
            var r = given().when().get("/footprints/" + job);
            if (r.statusCode() == 200 && r.jsonPath().getInt("batches") == 2) {
                break;
            }
            Thread.sleep(100);
        }
        // 1000 x 1.5 + 1000 x 1.2 = 2700 J; x 47 / 3.6e6 = 0.03525 g
        given().when().get("/footprints/" + job).then().statusCode(200)
                .body("facilityEnergyJoules", equalTo(2700.0f))
                .body("operationalGCo2e", equalTo(0.03525f));
    }

    @Test
    void impossibleDatacentersAndPuesAreRejected() {
        given().contentType("application/json").body("{\"id\":\"bad-dc\",\"zone\":\"SE\",\"pue\":0.9,\"source\":\"s\"}")
                .when().post("/datacenters").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("pue")).body("violations[0].message", equalTo("must be in 1..3, was 0.9"));
        given().contentType("application/json").body("{\"id\":\"bad-dc\",\"pue\":1.2345}")
                .when().post("/datacenters").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("zone", "source", "pue"));
        given().contentType("application/json").body("{\"validFrom\":\"2026-01-01T00:00:00Z\",\"pue\":1.1,\"source\":\"s\"}")
                .when().post("/datacenters/no-such-dc/pue").then().statusCode(404);
    }

    @Test
    void aRetiredDatacenterDeadLettersItsBatches() throws Exception {
        String id = "retired-dc-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"FI","pue":1.1,"source":"s"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(201);
        given().when().delete("/datacenters/" + id).then().statusCode(200).body("retired", equalTo(true));
        String job = "job-" + UUID.randomUUID();
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        TopicProbe.produce(kafka, Topics.TELEMETRY_ENERGY, job,
                EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, 0, "10.000", id)));
        try (TopicProbe dlq = new TopicProbe(kafka, Topics.deadLetterOf(Topics.TELEMETRY_ENERGY))) {
            dlq.readUntil(job, r -> r.value().contains("unknown data centre '" + id + "'"), Duration.ofSeconds(20));
        }
    }
}
