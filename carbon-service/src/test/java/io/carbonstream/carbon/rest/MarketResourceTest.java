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

import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.bounded;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Contractual instruments and residual mixes: set by an admin, applied by the batches' own time, refused when impossible. */
@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class MarketResourceTest {

    static String datacenter(String zone) {
        String id = "market-dc-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("""
                        {"id":"%s","zone":"%s","pue":1.2,"source":"facility meter 2025"}""".formatted(id, zone))
                .when().post("/datacenters").then().statusCode(201);
        return id;
    }

    @Test
    void anInstrumentAppliesOnlyFromItsValidFromAndTheResidualMixToTheRest() throws Exception {
        String id = datacenter("SE");
        given().contentType("application/json").body("""
                        {"zone":"SE","validFrom":"2026-02-03T00:00:00Z","gCo2ePerKWh":40,"source":"test residual mix"}""")
                .when().post("/residual-mixes").then().statusCode(201).body("gCo2ePerKWh", equalTo(40));
        String instrument = given().contentType("application/json").body("""
                        {"kind":"EAC","validFrom":"%s","validTo":"%s","share":0.5,"gCo2ePerKWh":0,"source":"GOs, test"}"""
                        .formatted(NOON, NOON.plusSeconds(86400)))
                .when().post("/datacenters/" + id + "/instruments").then().statusCode(201)
                .body("kind", equalTo("EAC")).extract().path("id");
        given().when().get("/datacenters/" + id + "/instruments").then().statusCode(200).body("id", contains(instrument));
        String job = "job-" + UUID.randomUUID();
        // 1000 J each, exactly, at PUE 1.2: one after noon (half covered at 0, half at 40), one before (all at 40)
        TopicProbe.produce(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TELEMETRY_ENERGY,
                job, EventJson.encodeToString(bounded(energy(job, UUID.randomUUID(), Phase.PRETRAIN, 60, "1000.000", id),
                        EnergyMethod.MEASURED, "1000", "1000")),
                job, EventJson.encodeToString(bounded(energy(job, UUID.randomUUID(), Phase.PRETRAIN, -3600, "1000.000", id),
                        EnergyMethod.MEASURED, "1000", "1000")));
        io.carbonstream.carbon.Fixtures.awaitBatches(job, 2);
        // market: 1200 x 20 + 1200 x 40 = 72000; / 3.6e6 = 0.02 g; location: 2400 x 47 (SE static) / 3.6e6 = 0.031333333 g
        given().when().get("/footprints/" + job).then().statusCode(200)
                .body("operationalGCo2e", equalTo(0.031333333f))
                .body("scope2.locationBasedGCo2e", equalTo(0.031333333f))
                .body("scope2.marketBasedGCo2e", equalTo(0.02f))
                .body("scope2.instruments", contains(instrument))
                .body("scope2.locationFallbackShare", equalTo(0.0f));
        given().when().get("/footprints/" + job + "/report?format=csv").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("operational emissions, market-based,0.000020000000,kgCO2e"));
        given().when().get("/residual-mixes").then().statusCode(200).body("source", hasItem("test residual mix"));
    }

    @Test
    void impossibleInstrumentsAndResidualMixesAreRefusedNamingTheField() {
        String id = datacenter("FI");
        String from = "2026-05-01T00:00:00Z", to = "2026-06-01T00:00:00Z";
        given().contentType("application/json").body("""
                        {"kind":"PPA","validFrom":"%s","validTo":"%s","share":0.5,"gCo2ePerKWh":0,"source":"PPA, test"}""".formatted(from, to))
                .when().post("/datacenters/" + id + "/instruments").then().statusCode(201);
        // shares over 100 % in a period
        refused("/datacenters/" + id + "/instruments", """
                {"kind":"EAC","validFrom":"2026-05-15T00:00:00Z","validTo":"2026-07-01T00:00:00Z","share":0.6,"gCo2ePerKWh":0,"source":"s"}""",
                "share");
        // a negative factor, a share above 1, a period that ends before it starts, an unknown kind
        refused("/datacenters/" + id + "/instruments", """
                {"kind":"EAC","validFrom":"%s","validTo":"%s","share":0.1,"gCo2ePerKWh":-1,"source":"s"}""".formatted(from, to), "gCo2ePerKWh");
        refused("/datacenters/" + id + "/instruments", """
                {"kind":"EAC","validFrom":"%s","validTo":"%s","share":1.5,"gCo2ePerKWh":0,"source":"s"}""".formatted(from, to), "share");
        refused("/datacenters/" + id + "/instruments", """
                {"kind":"EAC","validFrom":"%s","validTo":"%s","share":0.1,"gCo2ePerKWh":0,"source":"s"}""".formatted(to, from), "validTo");
        refused("/datacenters/" + id + "/instruments", """
                {"kind":"REC","validFrom":"%s","validTo":"%s","share":0.1,"gCo2ePerKWh":0,"source":"s"}""".formatted(from, to), "kind");
        // a supplier factor: no share, and never two at once
        refused("/datacenters/" + id + "/instruments", """
                {"kind":"SUPPLIER","validFrom":"%s","validTo":"%s","share":0.1,"gCo2ePerKWh":200,"source":"s"}""".formatted(from, to), "share");
        given().contentType("application/json").body("""
                        {"kind":"SUPPLIER","validFrom":"%s","validTo":"%s","gCo2ePerKWh":200,"source":"supplier disclosure"}""".formatted(from, to))
                .when().post("/datacenters/" + id + "/instruments").then().statusCode(201);
        refused("/datacenters/" + id + "/instruments", """
                {"kind":"SUPPLIER","validFrom":"2026-05-31T00:00:00Z","validTo":"2026-08-01T00:00:00Z","gCo2ePerKWh":100,"source":"s"}""",
                "validFrom");
        given().contentType("application/json").body("""
                        {"kind":"EAC","validFrom":"%s","validTo":"%s","share":0.1,"gCo2ePerKWh":0,"source":"s"}""".formatted(from, to))
                .when().post("/datacenters/no-such-dc/instruments").then().statusCode(404);
        // residual mixes: an unknown zone, a negative factor
        refused("/residual-mixes", """
                {"zone":"XX-NOWHERE","validFrom":"2026-01-01T00:00:00Z","gCo2ePerKWh":300,"source":"s"}""", "zone");
        refused("/residual-mixes", """
                {"zone":"FI","validFrom":"2026-01-01T00:00:00Z","gCo2ePerKWh":-5,"source":"s"}""", "gCo2ePerKWh");
    }

    static void refused(String path, String body, String field) {
        given().contentType("application/json").body(body).when().post(path).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo(field));
    }
}
