package io.carbonstream.carbon.rest;

import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class EstimateResourceTest {

    @Test
    void aDeclaredRunIsEstimatedWithEveryAssumptionEchoed() {
        // 512 TPU v3 x 3 h x 310 W = 1,714,176,000 J; x PUE 1.11 (gcp-us-central1) x 566.3 g/kWh (static) / 3.6e6
        given().contentType("application/json").body("""
                        {"acceleratorType":"google-tpu-v3","acceleratorCount":512,"hours":3,"averagePowerWatts":310,
                         "datacenter":"gcp-us-central1","at":"2026-01-10T00:00:00Z"}""")
                .when().post("/estimates").then().statusCode(200)
                .body("itEnergyJoules", equalTo(1714176000))
                .body("operationalGCo2e", equalTo(299310.84288f))
                .body("assumptions.name", hasItem("PUE"))
                .body("assumptions.find { it.name == 'PUE' }.value", equalTo(1.11f))
                .body("assumptions.find { it.name == 'PUE' }.source", containsString("gcp-us-central1"))
                .body("assumptions.find { it.name == 'grid intensity' }.source", containsString("STATIC_TABLE"))
                // 512 x 10,800 s x 150 kg / 126,144,000 s = 6575.342466 g
                .body("embodiedGCo2e", equalTo(6575.342466f));
    }

    @Test
    void declaredFiguresNeedNoCatalog() {
        // 8 x 10 h x 400 W = 115.2 MJ = 32 kWh; x 1.5 = 48 kWh; x 100 g/kWh = 4800 g
        given().contentType("application/json").body("""
                        {"acceleratorType":"nvidia-a100-sxm4-40gb","acceleratorCount":8,"deviceHours":80,"averagePowerWatts":400,
                         "pue":1.5,"gCo2ePerKWh":100}""")
                .when().post("/estimates").then().statusCode(200)
                .body("facilityEnergyKWh", equalTo(48.0f)).body("operationalGCo2e", equalTo(4800.0f));
    }

    @Test
    void whatIfPutsOtherZonesAndPuesBesideTheBase() {
        // base: 8 x 10 h x 400 W = 32 kWh IT, PUE 1.5 -> 48 kWh, 100 g/kWh -> 4800 g; embodied 342.465753425 g
        given().contentType("application/json").body("""
                        {"base":{"acceleratorType":"nvidia-a100-sxm4-40gb","acceleratorCount":8,"hours":10,"averagePowerWatts":400,
                                 "pue":1.5,"gCo2ePerKWh":100},
                         "alternatives":[{"label":"in Sweden","zone":"SE"},{"label":"PUE 1.1","pue":1.1}]}""")
                .when().post("/estimates/compare").then().statusCode(200)
                .body("label", org.hamcrest.Matchers.contains("base", "in Sweden", "PUE 1.1"))
                // Sweden: 48 kWh x 47 g/kWh (static) = 2256 g
                .body("estimate.operationalGCo2e", org.hamcrest.Matchers.contains(4800.0f, 2256.0f, 3520.0f))
                .body("totalGCo2eDifference", org.hamcrest.Matchers.contains(0.0f, -2544.0f, -1280.0f))
                .body("totalRelativeDifference", org.hamcrest.Matchers.contains(0.0f, -0.494704f, -0.248908f))
                .body("facilityKWhDifference[2]", equalTo(-12.8f));
    }

    @Test
    void impossibleRunsAreRejectedAndAMissingPowerModelIsSaidPlainly() {
        given().contentType("application/json").body("""
                        {"acceleratorType":"nvidia-t4","acceleratorCount":0,"hours":-2,"pue":0.5}""")
                .when().post("/estimates").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.hasItems("acceleratorCount", "hours", "pue", "gCo2ePerKWh"));
        given().contentType("application/json").body("""
                        {"acceleratorType":"nvidia-t4","acceleratorCount":1,"hours":1,"datacenter":"no-such-dc"}""")
                .when().post("/estimates").then().statusCode(400).body("violations[0].field", equalTo("datacenter"));
        // no telemetry-service runs beside this test: the utilization path says so and what to do instead
        given().contentType("application/json").body("""
                        {"acceleratorType":"nvidia-t4","acceleratorCount":1,"hours":1,"averageUtilization":0.5,"pue":1.1,"gCo2ePerKWh":100}""")
                .when().post("/estimates").then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("declare averagePowerWatts instead"));
    }
}
