package io.carbonstream.telemetry.rest;

import io.carbonstream.local.QuarkusInfrastructure;
import io.carbonstream.telemetry.TestCatalog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class HardwareResourceTest {

    @BeforeEach
    void catalog() throws Exception {
        TestCatalog.install();
    }

    @Test
    void catalogListsProfilesFromPostgres() {
        given().when().get("/hardware").then().statusCode(200)
                .body("id", hasItem(TestCatalog.GPU))
                .body("id", hasItem("nvidia-a100-sxm4-40gb"));
        given().when().get("/hardware/" + TestCatalog.GPU).then().statusCode(200)
                .body("kind", equalTo("ACCELERATOR"))
                .body("idleWatts", equalTo(50.0f))
                .body("maxWatts", equalTo(400.0f))
                .body("version", equalTo(1));
    }

    @Test
    void powerAtAUtilizationIsInterpolatedExactly() {
        given().queryParam("utilization", "0.25").when().get("/hardware/" + TestCatalog.GPU + "/power")
                .then().statusCode(200)
                .body("watts", equalTo(137.5f))
                .body("utilization", equalTo(0.25f));
    }

    @Test
    void utilizationOutsideZeroToOneIsRejected() {
        given().queryParam("utilization", "1.5").when().get("/hardware/" + TestCatalog.GPU + "/power")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("utilization"))
                .body("violations[0].message", equalTo("must be in 0..1, was 1.5"));
        given().queryParam("utilization", "lots").when().get("/hardware/" + TestCatalog.GPU + "/power")
                .then().statusCode(400).body("violations[0].message", equalTo("\"lots\" is not a number"));
    }

    @Test
    void unknownProfileIsNotFound() {
        given().when().get("/hardware/no-such-gpu").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no hardware profile no-such-gpu"));
    }
}
