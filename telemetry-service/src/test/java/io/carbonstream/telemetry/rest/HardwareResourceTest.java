package io.carbonstream.telemetry.rest;

import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.telemetry.TestCatalog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
@AsAdmin
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
    void aProfileIsCreatedUpdatedAndRetiredAsNewVersionsKeepingTheOldOnes() {
        String id = "test-npu-" + System.nanoTime();
        String body = """
                {"id":"%s","kind":"ACCELERATOR","name":"Test NPU","idleWatts":20,"maxWatts":120,"sources":"test sheet"}"""
                .formatted(id);
        given().contentType("application/json").body(body).when().post("/hardware")
                .then().statusCode(201).body("version", equalTo(1)).body("retired", equalTo(false));
        given().contentType("application/json").body(body).when().post("/hardware")
                .then().statusCode(409).contentType("application/problem+json");
        given().contentType("application/json")
                .body("{\"kind\":\"ACCELERATOR\",\"name\":\"Test NPU\",\"idleWatts\":25,\"maxWatts\":150,\"sources\":\"sheet v2\"}")
                .when().put("/hardware/" + id).then().statusCode(200).body("version", equalTo(2)).body("maxWatts", equalTo(150));
        given().queryParam("utilization", "0.5").when().get("/hardware/" + id + "/power")
                .then().statusCode(200).body("version", equalTo(2)).body("watts", equalTo(87.5f));
        given().when().delete("/hardware/" + id).then().statusCode(200).body("version", equalTo(3)).body("retired", equalTo(true));
        given().when().get("/hardware/" + id + "/versions").then().statusCode(200)
                .body("version", org.hamcrest.Matchers.contains(1, 2, 3))
                .body("maxWatts", org.hamcrest.Matchers.contains(120.0f, 150.0f, 150.0f));
        given().when().get("/hardware").then().body("id", org.hamcrest.Matchers.not(hasItem(id)));
        given().queryParam("includeRetired", true).when().get("/hardware").then().body("id", hasItem(id));
    }

    @Test
    void impossibleProfilesAreRejectedNamingTheField() {
        given().contentType("application/json")
                .body("{\"id\":\"bad-1\",\"kind\":\"ACCELERATOR\",\"name\":\"x\",\"idleWatts\":500,\"maxWatts\":400,\"sources\":\"s\"}")
                .when().post("/hardware").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("idleWatts"))
                .body("violations[0].message", equalTo("must not exceed maxWatts (500 > 400)"));
        given().contentType("application/json")
                .body("{\"id\":\"bad-2\",\"kind\":\"ACCELERATOR\",\"name\":\"x\",\"idleWatts\":-1,\"maxWatts\":400}")
                .when().post("/hardware").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("sources", "idleWatts"));
        given().contentType("application/json")
                .body("{\"id\":\"bad-3\",\"kind\":\"GPU\",\"name\":\"x\",\"idleWatts\":1,\"maxWatts\":2,\"sources\":\"s\"}")
                .when().post("/hardware").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("kind"));
    }

    @Test
    void calibrationFitsACurveAsANewVersionAndKeepsThePreviousOne() {
        String id = "test-cal-" + System.nanoTime();
        given().contentType("application/json").body("""
                        {"id":"%s","kind":"ACCELERATOR","name":"Cal GPU","idleWatts":50,"maxWatts":400,"sources":"sheet"}"""
                        .formatted(id)).when().post("/hardware").then().statusCode(201);
        // samples on P(u) = 60 + 200u + 140u^2
        given().contentType("application/json").body("""
                        {"source":"bench run","samples":[{"utilization":0.1,"watts":81.4},{"utilization":0.5,"watts":195},
                         {"utilization":0.9,"watts":353.4},{"utilization":0.3,"watts":132.6},{"utilization":0.7,"watts":268.6}]}""")
                .when().post("/hardware/" + id + "/calibration").then().statusCode(200)
                .body("version", equalTo(2)).body("idleWatts", equalTo(60.0f)).body("maxWatts", equalTo(400.0f))
                .body("curve", org.hamcrest.Matchers.hasSize(11))
                .body("sources", org.hamcrest.Matchers.containsString("curve fitted to 5 measured samples: bench run"))
                // samples on the curve: the instrument's accuracy alone, NVML's 5 % when the body names none
                .body("tolerance", equalTo(0.05f));
        given().queryParam("utilization", "0.5").when().get("/hardware/" + id + "/power")
                .then().body("watts", equalTo(195.0f));
        given().when().get("/hardware/" + id + "/versions").then().body("idleWatts", org.hamcrest.Matchers.contains(50.0f, 60.0f));
        given().contentType("application/json").body("""
                        {"source":"s","samples":[{"utilization":0.4,"watts":1},{"utilization":1.5,"watts":2},{"utilization":0.6,"watts":-3}]}""")
                .when().post("/hardware/" + id + "/calibration").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.contains("samples[1].utilization", "samples[2].watts"));
        given().contentType("application/json").body("""
                        {"source":"s","samples":[{"utilization":0.4,"watts":1},{"utilization":0.5,"watts":2},{"utilization":0.6,"watts":3}]}""")
                .when().post("/hardware/" + id + "/calibration").then().statusCode(400)
                .body("violations[0].message", org.hamcrest.Matchers.startsWith("must cover low and high load"));
    }

    @Test
    void aCalibrationsToleranceIsTheInstrumentsAccuracyPlusTheFitsLargestResidual() {
        String id = "test-tol-" + System.nanoTime();
        given().contentType("application/json").body("""
                        {"id":"%s","kind":"ACCELERATOR","name":"Tol GPU","idleWatts":50,"maxWatts":400,"sources":"sheet"}"""
                        .formatted(id)).when().post("/hardware").then().statusCode(201)
                .body("tolerance", equalTo(0.4f));
        // the line through 105 W at u = 0.1 and 300 W at u = 0.9; two samples 5 W off it: 5 / 105 = 4.762 %
        given().contentType("application/json").body("""
                        {"source":"wall meter, 1 %","accuracy":0.01,"samples":[{"utilization":0.1,"watts":100},
                         {"utilization":0.1,"watts":110},{"utilization":0.9,"watts":300},{"utilization":0.9,"watts":300}]}""")
                .when().post("/hardware/" + id + "/calibration").then().statusCode(200)
                .body("powerModel", equalTo("CURVE")).body("tolerance", equalTo(0.05762f));
        // new figures (PUT) return to the model's default: the fit belonged to the old ones
        given().contentType("application/json").body("""
                        {"kind":"ACCELERATOR","name":"Tol GPU","idleWatts":50,"maxWatts":410,"sources":"sheet v2"}""")
                .when().put("/hardware/" + id).then().statusCode(200).body("tolerance", equalTo(0.4f));
        for (String accuracy : List.of("-0.01", "1.5")) {
            given().contentType("application/json").body("""
                            {"source":"s","accuracy":%s,"samples":[{"utilization":0.1,"watts":1},{"utilization":0.5,"watts":2},
                             {"utilization":0.9,"watts":3}]}""".formatted(accuracy))
                    .when().post("/hardware/" + id + "/calibration").then().statusCode(400)
                    .contentType("application/problem+json").body("violations[0].field", equalTo("accuracy"));
        }
    }

    @Test
    void unknownProfileIsNotFound() {
        given().when().get("/hardware/no-such-gpu").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no hardware profile no-such-gpu"));
    }

    @Test
    void tpuV5eIsSeededWithItsSourcesAndNoInventedPowerFigure() {
        given().when().get("/hardware/google-tpu-v5e/versions").then().statusCode(200)
                .body("[0].kind", equalTo("ACCELERATOR"))
                .body("[0].powerModel", equalTo("NONE"))
                .body("[0].idleWatts", org.hamcrest.Matchers.nullValue())
                .body("[0].maxWatts", org.hamcrest.Matchers.nullValue())
                .body("[0].sources", org.hamcrest.Matchers.containsString("197 TFLOP/s bf16"))
                .body("[0].sources", org.hamcrest.Matchers.containsString("power: not published"));
    }

    @Test
    void aProfileWithoutPowerAnswersConflictUntilCalibrated() throws Exception {
        String id = "test-npu-" + System.nanoTime();
        TestCatalog.installWithoutPower(id);
        given().queryParam("utilization", "0.5").when().get("/hardware/" + id + "/power").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/no-power-model"))
                .body("detail", org.hamcrest.Matchers.containsString("POST /hardware/" + id + "/calibration"));
        // samples on P(u) = 40 + 120u: the fit is that line
        given().contentType("application/json").body("""
                        {"source":"wall meter, 3 loads","samples":[{"utilization":0,"watts":40},{"utilization":0.5,"watts":100},
                         {"utilization":1,"watts":160}]}""")
                .when().post("/hardware/" + id + "/calibration").then().statusCode(200)
                .body("version", equalTo(2)).body("powerModel", equalTo("CURVE"))
                .body("idleWatts", equalTo(40.0f)).body("maxWatts", equalTo(160.0f))
                .body("sources", org.hamcrest.Matchers.startsWith("test: no published power; curve fitted to 3 measured samples"));
        given().queryParam("utilization", "0.25").when().get("/hardware/" + id + "/power").then().statusCode(200)
                .body("watts", equalTo(70.0f));
        given().when().get("/hardware/" + id + "/versions").then()
                .body("powerModel", org.hamcrest.Matchers.contains("NONE", "CURVE"));
    }

    @Test
    void aProfileCanBeCreatedWithoutPowerFiguresButNotWithHalfOfThem() {
        String id = "test-unpublished-" + System.nanoTime();
        given().contentType("application/json").body("""
                        {"id":"%s","kind":"ACCELERATOR","name":"New NPU","sources":"vendor: no power published (datasheet rev 2)"}"""
                        .formatted(id)).when().post("/hardware").then().statusCode(201)
                .body("powerModel", equalTo("NONE")).body("version", equalTo(1));
        given().contentType("application/json").body("""
                        {"kind":"ACCELERATOR","name":"New NPU","idleWatts":30,"sources":"half a sheet"}""")
                .when().put("/hardware/" + id).then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("maxWatts"))
                .body("violations[0].message", org.hamcrest.Matchers.startsWith("is required with the other watts figure"));
        given().contentType("application/json").body("""
                        {"kind":"ACCELERATOR","name":"New NPU","idleWatts":30,"maxWatts":210,"sources":"datasheet rev 3"}""")
                .when().put("/hardware/" + id).then().statusCode(200).body("version", equalTo(2))
                .body("powerModel", equalTo("LINEAR"));
    }
}
