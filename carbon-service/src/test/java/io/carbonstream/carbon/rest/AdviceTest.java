package io.carbonstream.carbon.rest;

import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class AdviceTest {

    static final Instant DAY = Instant.parse("2027-02-01T00:00:00Z");

    @BeforeEach
    void ready() throws Exception {
        // a forecast for FI on DAY: 300 g/kWh until 06:00, 50 until 12:00, 200 until midnight
        observe("FI", 0, 6, 300);
        observe("FI", 6, 12, 50);
        observe("FI", 12, 24, 200);
        for (int i = 0; i < 150; i++) {
            Object v = given().queryParam("at", DAY.plusSeconds(13 * 3600).toString()).when().get("/intensity/FI")
                    .then().extract().path("observation.gCo2ePerKWh");
            if (Integer.valueOf(200).equals(v)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("observations not applied");
    }

    static void observe(String zone, int fromHour, int toHour, int grams) {
        given().contentType("application/json").body("""
                        {"zone":"%s","validFrom":"%s","validTo":"%s","gCo2ePerKWh":%d,"forecast":true}"""
                        .formatted(zone, DAY.plusSeconds(fromHour * 3600L), DAY.plusSeconds(toHour * 3600L), grams))
                .when().post("/intensity").then().statusCode(202);
    }

    @Test
    void theBestStartIsTheCleanestWindowAndTheSavingIsAgainstStartingAtOnce() {
        given().queryParam("hours", 4).queryParam("from", DAY.toString()).queryParam("to", DAY.plusSeconds(86400).toString())
                .queryParam("energyKWh", 10)
                .when().get("/intensity/FI/best-window").then().statusCode(200)
                .body("best.start", equalTo("2027-02-01T06:00:00Z"))
                .body("best.averageGCo2ePerKWh", equalTo(50.0f))
                .body("atStart.averageGCo2ePerKWh", equalTo(300.0f))
                .body("savedGCo2ePerKWh", equalTo(250.0f))
                .body("savedGCo2e", equalTo(2500.0f));
        // 8 hours from 06:00: 6 h at 50 and 2 h at 200 = 87.5 g/kWh, better than any other start
        given().queryParam("hours", 8).queryParam("from", DAY.toString()).queryParam("to", DAY.plusSeconds(86400).toString())
                .when().get("/intensity/FI/best-window").then().statusCode(200)
                .body("best.start", equalTo("2027-02-01T06:00:00Z"))
                .body("best.averageGCo2ePerKWh", equalTo(87.5f));
    }

    @Test
    void zonesAreRankedByTheirAverageOverTheWindow() {
        // at 06:00 for 4 h: SE 47 (static), FI 50 (forecast), DE 615 (static)
        given().queryParam("zones", "DE,FI,SE").queryParam("hours", 4).queryParam("at", DAY.plusSeconds(6 * 3600).toString())
                .when().get("/intensity/best-zone").then().statusCode(200)
                .body("zone", contains("SE", "FI", "DE"))
                .body("averageGCo2ePerKWh", contains(47.0f, 50.0f, 615.0f));
        given().queryParam("zones", "DE").when().get("/intensity/best-zone").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("hours"));
    }
}
