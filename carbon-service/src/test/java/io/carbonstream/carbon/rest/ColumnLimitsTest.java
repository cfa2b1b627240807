package io.carbonstream.carbon.rest;

import io.carbonstream.events.Limits;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.SchemaColumns;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.TreeMap;

import static io.carbonstream.testing.Problems.refused;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The text columns of carbon-service's schema and the limits its validation applies are one set of numbers: each
 * column is as long as the limit that checks what goes into it, and at the door text of exactly that length is
 * taken while one character more, or a NUL PostgreSQL cannot store, gets 400 naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "carbon"))
@AsAdmin
class ColumnLimitsTest {

    @Test
    void everyTextColumnIsAsLongAsTheLimitThatChecksIt() {
        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("datacenter.id", Limits.MAX_ID_LENGTH),
                Map.entry("datacenter.zone", Limits.MAX_ZONE_LENGTH),
                Map.entry("datacenter.name", Limits.MAX_TEXT_LENGTH),
                Map.entry("datacenter.source", Limits.MAX_SOURCE_LENGTH),
                Map.entry("datacenter_pue.datacenter_id", Limits.MAX_ID_LENGTH),
                Map.entry("datacenter_pue.source", Limits.MAX_SOURCE_LENGTH),
                // ids the service makes itself ("instr-" and a UUID), kinds it names from its enum
                Map.entry("contractual_instrument.id", Limits.MAX_ID_LENGTH),
                Map.entry("contractual_instrument.datacenter_id", Limits.MAX_ID_LENGTH),
                Map.entry("contractual_instrument.kind", Limits.MAX_ENUM_LENGTH),
                Map.entry("contractual_instrument.source", Limits.MAX_SOURCE_LENGTH),
                Map.entry("residual_mix.zone", Limits.MAX_ZONE_LENGTH),
                Map.entry("residual_mix.source", Limits.MAX_SOURCE_LENGTH),
                Map.entry("finished_footprint.job_id", Limits.MAX_ID_LENGTH),
                Map.entry("finished_footprint.tenant", Limits.MAX_ID_LENGTH),
                Map.entry("finished_footprint.model", Limits.MAX_TEXT_LENGTH),
                Map.entry("finished_footprint.job_state", Limits.MAX_ENUM_LENGTH),
                // the footprint as JSON the service writes itself, from a validated record
                Map.entry("finished_footprint.footprint", SchemaColumns.UNBOUNDED)));
        assertEquals(expected, SchemaColumns.textColumnsOfThisService());
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "source", "zone"})
    void aDataCentresTextIsTakenUpToItsColumnsLengthAndRefusedBeyondItOrWithANul(String field) {
        int limit = switch (field) {
            case "name" -> Limits.MAX_TEXT_LENGTH;
            case "zone" -> Limits.MAX_ZONE_LENGTH;
            default -> Limits.MAX_SOURCE_LENGTH;
        };
        String id = "test-limits-" + System.nanoTime();
        String atTheLimit = "Z".repeat(limit);
        given().contentType("application/json").body(datacenter(id, field, atTheLimit)).when().post("/datacenters")
                .then().statusCode(201).body(field, equalTo(atTheLimit));
        refused(given().contentType("application/json").body(datacenter(id + "b", field, atTheLimit + "Z"))
                .when().post("/datacenters"), field, field.equals("zone") ? "at most " + limit : "longer than " + limit);
        refused(given().contentType("application/json").body(datacenter(id + "c", field, "SE\\u0000hall"))
                .when().post("/datacenters"), field, field.equals("zone") ? "letters, digits" : "NUL");
        refused(given().contentType("application/json").body(datacenter(id, field, "SE\\ud800hall"))
                .when().put("/datacenters/" + id), field, field.equals("zone") ? "letters, digits" : "unpaired surrogate");
    }

    @Test
    void aPueRowsSourceIsTakenUpToItsColumnsLengthAndRefusedBeyondItOrWithANul() {
        String id = "test-limits-pue-" + System.nanoTime();
        given().contentType("application/json").body(datacenter(id, "name", "pue hall")).when().post("/datacenters")
                .then().statusCode(201);
        String atTheLimit = "m".repeat(Limits.MAX_SOURCE_LENGTH);
        given().contentType("application/json").body(pue("2026-01-01T00:00:00Z", atTheLimit))
                .when().post("/datacenters/" + id + "/pue").then().statusCode(201);
        refused(given().contentType("application/json").body(pue("2026-02-01T00:00:00Z", atTheLimit + "m"))
                .when().post("/datacenters/" + id + "/pue"), "source", "longer than " + Limits.MAX_SOURCE_LENGTH);
        refused(given().contentType("application/json").body(pue("2026-02-01T00:00:00Z", "meter\\u0000"))
                .when().post("/datacenters/" + id + "/pue"), "source", "NUL");
    }

    @Test
    void anInstrumentsAndAResidualMixsSourceAreTakenUpToTheirColumnsLengthAndRefusedBeyondItOrWithANul() {
        String id = "test-limits-market-" + System.nanoTime();
        given().contentType("application/json").body(datacenter(id, "name", "market hall")).when().post("/datacenters")
                .then().statusCode(201);
        String atTheLimit = "g".repeat(Limits.MAX_SOURCE_LENGTH);
        given().contentType("application/json").body(instrument("2026-01-01T00:00:00Z", atTheLimit))
                .when().post("/datacenters/" + id + "/instruments").then().statusCode(201).body("source", equalTo(atTheLimit));
        refused(given().contentType("application/json").body(instrument("2026-02-01T00:00:00Z", atTheLimit + "g"))
                .when().post("/datacenters/" + id + "/instruments"), "source", "longer than " + Limits.MAX_SOURCE_LENGTH);
        refused(given().contentType("application/json").body(instrument("2026-02-01T00:00:00Z", "GOs\\u0000"))
                .when().post("/datacenters/" + id + "/instruments"), "source", "NUL");
        given().contentType("application/json").body(mix("2031-0" + (1 + System.nanoTime() % 9) + "-01T00:00:00Z", atTheLimit))
                .when().post("/residual-mixes").then().statusCode(201);
        refused(given().contentType("application/json").body(mix("2032-01-01T00:00:00Z", atTheLimit + "g"))
                .when().post("/residual-mixes"), "source", "longer than " + Limits.MAX_SOURCE_LENGTH);
        refused(given().contentType("application/json").body(mix("2032-01-01T00:00:00Z", "AIB\\u0000"))
                .when().post("/residual-mixes"), "source", "NUL");
        refused(given().contentType("application/json").body("""
                {"zone":"%s","validFrom":"2032-01-01T00:00:00Z","gCo2ePerKWh":1,"source":"s"}""".formatted("Z".repeat(65)))
                .when().post("/residual-mixes"), "zone", "unknown zone");
    }

    static String instrument(String validFrom, String source) {
        return """
                {"kind":"EAC","validFrom":"%s","validTo":"2026-01-02T00:00:00Z","share":0.001,"gCo2ePerKWh":0,"source":"%s"}"""
                .formatted(validFrom, source).replace("2026-01-02T00:00:00Z", validFrom.replace("-01T", "-02T"));
    }

    static String mix(String validFrom, String source) {
        return """
                {"zone":"SE","validFrom":"%s","gCo2ePerKWh":50,"source":"%s"}""".formatted(validFrom, source);
    }

    static String datacenter(String id, String field, String value) {
        return """
                {"id":"%s","zone":"%s","name":"%s","pue":1.2,"source":"%s"}""".formatted(id,
                field.equals("zone") ? value : "SE", field.equals("name") ? value : "test hall",
                field.equals("source") ? value : "facility meter 2025");
    }

    static String pue(String validFrom, String source) {
        return """
                {"validFrom":"%s","pue":1.3,"source":"%s"}""".formatted(validFrom, source);
    }
}
