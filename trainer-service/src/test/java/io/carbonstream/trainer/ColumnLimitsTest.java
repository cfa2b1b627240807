package io.carbonstream.trainer;

import io.carbonstream.events.Limits;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.SchemaColumns;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static io.carbonstream.testing.Problems.refused;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The text columns of trainer-service's schema and the limits its validation applies are one set of numbers: each
 * column is as long as the limit that checks what goes into it, and at the door text of exactly that length is
 * taken while one character more, or a NUL PostgreSQL cannot store, gets 400 naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "trainer"))
@AsAdmin
class ColumnLimitsTest {

    @Test
    void everyTextColumnIsAsLongAsTheLimitThatChecksIt() {
        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("job.id", Limits.MAX_ID_LENGTH),
                Map.entry("job.tenant", Limits.MAX_ID_LENGTH),
                Map.entry("job.name", Limits.MAX_TEXT_LENGTH),
                Map.entry("job.model", Limits.MAX_TEXT_LENGTH),
                Map.entry("job.phase", Limits.MAX_ENUM_LENGTH),
                Map.entry("job.accelerator_type", Limits.MAX_ID_LENGTH),
                Map.entry("job.cpu_type", Limits.MAX_ID_LENGTH),
                Map.entry("job.memory_type", Limits.MAX_ID_LENGTH),
                Map.entry("job.host_type", Limits.MAX_ID_LENGTH),
                Map.entry("job.datacenter", Limits.MAX_ID_LENGTH),
                Map.entry("job.state", Limits.MAX_ENUM_LENGTH),
                Map.entry("job_run.job_id", Limits.MAX_ID_LENGTH),
                Map.entry("job_run.kind", Limits.MAX_ENUM_LENGTH),
                // the run's progress as JSON the service writes itself, from validated numbers
                Map.entry("job_run.progress", SchemaColumns.UNBOUNDED)));
        assertEquals(expected, SchemaColumns.textColumnsOfThisService());
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "model"})
    void aJobsTextIsTakenUpToItsColumnsLengthAndRefusedBeyondItOrWithANul(String field) {
        String atTheLimit = "n".repeat(Limits.MAX_TEXT_LENGTH);
        given().contentType("application/json").body(job(field, atTheLimit)).when().post("/jobs")
                .then().statusCode(201).body(field, equalTo(atTheLimit));
        refused(given().contentType("application/json").body(job(field, atTheLimit + "n")).when().post("/jobs"), field,
                "longer than " + Limits.MAX_TEXT_LENGTH);
        refused(given().contentType("application/json").body(job(field, "gpt\\u00002")).when().post("/jobs"), field,
                "NUL");
        refused(given().contentType("application/json").body(job(field, "gpt\\ud8002")).when().post("/jobs"), field,
                "unpaired surrogate");
    }

    static String job(String field, String value) {
        String name = field.equals("name") ? value : "limits";
        String model = field.equals("model") ? value : "gpt2";
        return """
                {"tenant":"team-limits","name":"%s","model":"%s","acceleratorType":"nvidia-t4","datacenter":"on-prem-de"}"""
                .formatted(name, model);
    }
}
