package io.carbonstream.carbon.rest;

import io.carbonstream.events.EnergyMethod;
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
import static io.carbonstream.carbon.Fixtures.bounded;
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
        io.carbonstream.carbon.Fixtures.awaitBatches(job, 2);
        // 1000 x 1.5 + 1000 x 1.2 = 2700 J; x 47 / 3.6e6 = 0.03525 g
        given().when().get("/footprints/" + job).then().statusCode(200)
                .body("facilityEnergyJoules", equalTo(2700.0f))
                .body("operationalGCo2e", equalTo(0.03525f));
    }

    @Test
    void aStatedPueRangeBoundsBatchesFromItsOwnTimeOnly() throws Exception {
        String id = "range-dc-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"SE","pue":1.2,"source":"facility meter 2025"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(201);
        // from noon on: PUE 1.5, stated as 1.4..1.6
        given().contentType("application/json").body("""
                        {"validFrom":"%s","pue":1.5,"pueLow":1.4,"pueHigh":1.6,"source":"cooling retrofit, metered"}""".formatted(NOON))
                .when().post("/datacenters/" + id + "/pue").then().statusCode(201)
                .body("pue.pueLow", contains(null, 1.4f)).body("pue.pueHigh", contains(null, 1.6f));
        String job = "job-" + UUID.randomUUID();
        // 1000 J each, known exactly: one after noon, one before, when PUE 1.2 had no stated range (1.1..1.3, the
        // default: overhead +/- 50 %); SE's static 47 g/kWh has no published spread in the table: +/- 50 %, 23.5..70.5
        TopicProbe.produce(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TELEMETRY_ENERGY,
                job, EventJson.encodeToString(bounded(energy(job, UUID.randomUUID(), Phase.PRETRAIN, 60, "1000.000", id),
                        EnergyMethod.MEASURED, "1000", "1000")),
                job, EventJson.encodeToString(bounded(energy(job, UUID.randomUUID(), Phase.PRETRAIN, -3600, "1000.000", id),
                        EnergyMethod.MEASURED, "1000", "1000")));
        io.carbonstream.carbon.Fixtures.awaitBatches(job, 2);
        // low: 1000 x 1.4 + 1000 x 1.1 = 2500 J, x 23.5 / 3.6e6 = 0.016319444 g;
        // high: 1000 x 1.6 + 1000 x 1.3 = 2900 J, x 70.5 / 3.6e6 = 0.056791667 g
        given().when().get("/footprints/" + job).then().statusCode(200)
                .body("facilityEnergyJoules", equalTo(2700.0f))
                .body("uncertainty.facilityEnergyJoules.low", equalTo(2500.0f))
                .body("uncertainty.facilityEnergyJoules.high", equalTo(2900.0f))
                .body("uncertainty.operationalGCo2e.low", equalTo(0.016319444f))
                .body("uncertainty.operationalGCo2e.high", equalTo(0.056791667f))
                .body("dataQuality.energyShare.MEASURED", equalTo(1.0f))
                .body("dataQuality.co2eShare.STATIC", equalTo(1.0f));
    }

    @Test
    void impossiblePueRangesAreRejectedNamingTheField() {
        String id = "bad-range-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"SE","pue":1.2,"pueLow":1.3,"pueHigh":1.4,"source":"s"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("pueLow"))
                .body("violations[0].message", equalTo("must be at most pue (1.2), was 1.3"));
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"SE","pue":1.2,"pueHigh":1.4,"source":"s"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(400).body("violations[0].field", equalTo("pueLow"));
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"SE","pue":1.2,"pueLow":0.5,"pueHigh":9,"source":"s"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("pueLow", "pueHigh"));
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"SE","pue":1.2,"source":"s"}""".formatted(id))
                .when().post("/datacenters").then().statusCode(201);
        given().contentType("application/json").body("""
                        {"validFrom":"2026-01-01T00:00:00Z","pue":1.3,"pueLow":1.25,"pueHigh":1.29,"source":"s"}""")
                .when().post("/datacenters/" + id + "/pue").then().statusCode(400)
                .body("violations[0].field", equalTo("pueHigh"))
                .body("violations[0].message", equalTo("must be at least pue (1.3), was 1.29"));
        given().contentType("application/json").body("""
                        {"zone":"SE","pueLow":1.1,"source":"s"}""")
                .when().put("/datacenters/" + id).then().statusCode(400).body("violations[0].field", equalTo("pueLow"));
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
