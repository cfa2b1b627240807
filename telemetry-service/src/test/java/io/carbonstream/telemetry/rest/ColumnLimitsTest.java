package io.carbonstream.telemetry.rest;

import io.carbonstream.events.Limits;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.SchemaColumns;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.TreeMap;

import static io.carbonstream.testing.Problems.refused;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The text columns of telemetry-service's schema and the limits its validation applies are one set of numbers: each
 * column is as long as the limit that checks what goes into it, and at the door text of exactly that length is
 * taken while one character more, or a NUL PostgreSQL cannot store, gets 400 naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
@AsAdmin
class ColumnLimitsTest {

    static final String SAMPLES = """
            [{"utilization":0.1,"watts":81.4},{"utilization":0.5,"watts":195},{"utilization":0.9,"watts":353.4}]""";

    @Test
    void everyTextColumnIsAsLongAsTheLimitThatChecksIt() {
        Map<String, Integer> expected = new TreeMap<>(Map.of(
                "hardware_profile.id", Limits.MAX_ID_LENGTH,
                "hardware_profile.kind", Limits.MAX_ENUM_LENGTH,
                "hardware_profile.name", Limits.MAX_TEXT_LENGTH,
                "hardware_profile.sources", Limits.MAX_SOURCE_LENGTH,
                // the fitted power curve as JSON the service writes itself, from validated samples
                "hardware_profile.curve", SchemaColumns.UNBOUNDED));
        assertEquals(expected, SchemaColumns.textColumnsOfThisService());
    }

    @ParameterizedTest
    @CsvSource({"name, 256", "sources, 4096"})
    void aProfilesTextIsTakenUpToItsColumnsLengthAndRefusedBeyondItOrWithANul(String field, int limit) {
        assertEquals(field.equals("name") ? Limits.MAX_TEXT_LENGTH : Limits.MAX_SOURCE_LENGTH, limit);
        String id = "test-limits-" + System.nanoTime();
        String atTheLimit = "s".repeat(limit);
        given().contentType("application/json").body(profile(id, field, atTheLimit)).when().post("/hardware")
                .then().statusCode(201).body(field, equalTo(atTheLimit));
        refused(given().contentType("application/json").body(profile(id + "b", field, atTheLimit + "s"))
                .when().post("/hardware"), field, "longer than " + limit);
        refused(given().contentType("application/json").body(profile(id + "c", field, "TDP\\u0000sheet"))
                .when().post("/hardware"), field, "NUL");
        refused(given().contentType("application/json").body(profile(id, field, "TDP\\udc00sheet"))
                .when().put("/hardware/" + id), field, "unpaired surrogate");
    }

    @Test
    void aCalibrationsSourceIsBoundedAloneAndWithTheProfilesSources() {
        String id = "test-limits-cal-" + System.nanoTime();
        given().contentType("application/json").body(profile(id, "sources", "s".repeat(Limits.MAX_SOURCE_LENGTH - 100)))
                .when().post("/hardware").then().statusCode(201);
        refused(given().contentType("application/json").body("{\"source\":\"bench\\u0000run\",\"samples\":" + SAMPLES + "}")
                .when().post("/hardware/" + id + "/calibration"), "source", "NUL");
        refused(given().contentType("application/json")
                .body("{\"source\":\"" + "b".repeat(Limits.MAX_SOURCE_LENGTH + 1) + "\",\"samples\":" + SAMPLES + "}")
                .when().post("/hardware/" + id + "/calibration"), "source", "longer than " + Limits.MAX_SOURCE_LENGTH);
        // alone it fits, appended to the profile's sources it would not: refused, and the profile is unchanged
        refused(given().contentType("application/json").body("{\"source\":\"" + "b".repeat(200) + "\",\"samples\":" + SAMPLES + "}")
                .when().post("/hardware/" + id + "/calibration"), "source", "longer than " + Limits.MAX_SOURCE_LENGTH);
        given().when().get("/hardware/" + id).then().statusCode(200).body("version", equalTo(1));
        given().contentType("application/json").body("{\"source\":\"bench run\",\"samples\":" + SAMPLES + "}")
                .when().post("/hardware/" + id + "/calibration").then().statusCode(200).body("version", equalTo(2));
    }

    static String profile(String id, String field, String value) {
        return """
                {"id":"%s","kind":"ACCELERATOR","name":"%s","idleWatts":50,"maxWatts":400,"sources":"%s"}"""
                .formatted(id, field.equals("name") ? value : "Limits GPU", field.equals("sources") ? value : "sheet");
    }
}
