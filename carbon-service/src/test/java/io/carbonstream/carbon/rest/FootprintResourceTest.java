package io.carbonstream.carbon.rest;

import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.energy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class FootprintResourceTest {

    String kafka() {
        return TestInfrastructure.shared().kafka().bootstrapServers();
    }

    @Test
    void footprintOfAJobIsServedAndPublishedWithExactTotals() {
        String job = "job-" + UUID.randomUUID();
        EnergyEvent a = energy(job, UUID.randomUUID(), Phase.PRETRAIN, -7200, "3960.000", "gcp-europe-west4");
        EnergyEvent b = energy(job, UUID.randomUUID(), Phase.EVAL, -7100, "1000.000", "gcp-europe-west4");
        TopicProbe.produce(kafka(), Topics.TELEMETRY_ENERGY, job, EventJson.encodeToString(a), job,
                EventJson.encodeToString(b), job, EventJson.encodeToString(a));

        try (TopicProbe probe = new TopicProbe(kafka(), Topics.CARBON_FOOTPRINT)) {
            var records = probe.readUntil(job, r -> r.value().contains("\"batches\":2"), Duration.ofSeconds(30));
            FootprintEvent f = EventJson.decode(records.get(records.size() - 1).value().getBytes(StandardCharsets.UTF_8),
                    FootprintEvent.class);
            // static NL 569 g/kWh, PUE 1.07: 4237.2 J -> 0.669713 g; 1070 J -> 0.169119444 g
            assertEquals(new BigDecimal("0.838832444"), f.operationalGCo2e());
            assertEquals(0, new BigDecimal("5307.2").compareTo(f.facilityEnergyJoules()), f.facilityEnergyJoules().toString());
        }
        given().when().get("/footprints/" + job).then().statusCode(200)
                .body("jobId", equalTo(job))
                .body("batches", equalTo(2))
                .body("itEnergyJoules.accelerator", equalTo(4960.0f))
                .body("operationalGCo2e", equalTo(0.838832444f))
                .body("byPhase.EVAL.batches", equalTo(1))
                .body("lastIntensity.zone", equalTo("NL"))
                .body("lastIntensity.source", equalTo("STATIC_TABLE"));
    }

    @Test
    void theTimelineGroupsBatchesByTheMinuteTheyRanInWhateverTheArrivalOrder() throws Exception {
        String job = "job-" + UUID.randomUUID();
        // minute 10:01 arrives first, then two batches of minute 10:00 (static NL 569 g/kWh, PUE 1.07)
        TopicProbe.produce(kafka(), Topics.TELEMETRY_ENERGY,
                job, EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, -7100, "1000.000", "gcp-europe-west4")),
                job, EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, -7200, "3960.000", "gcp-europe-west4")),
                job, EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, -7170, "1000.000", "gcp-europe-west4")));
        io.carbonstream.carbon.Fixtures.awaitBatches(job, 3);
        given().when().get("/footprints/" + job + "/timeline").then().statusCode(200)
                .body("from", org.hamcrest.Matchers.contains("2026-03-01T10:00:00Z", "2026-03-01T10:01:00Z"))
                .body("batches", org.hamcrest.Matchers.contains(2, 1))
                .body("itEnergyJoules", org.hamcrest.Matchers.contains(4960.0f, 1000.0f))
                // (3960 + 1000) x 1.07 x 569 / 3.6e6 = 0.838832444 g; then + 0.169119444 g
                .body("operationalGCo2e", org.hamcrest.Matchers.contains(0.838832444f, 0.169119444f))
                .body("cumulativeOperationalGCo2e", org.hamcrest.Matchers.contains(0.838832444f, 1.007951889f));
        given().queryParam("resolution", "PT1H").when().get("/footprints/" + job + "/timeline").then().statusCode(200)
                .body("from", org.hamcrest.Matchers.contains("2026-03-01T10:00:00Z"))
                .body("to", org.hamcrest.Matchers.contains("2026-03-01T11:00:00Z"))
                .body("batches", org.hamcrest.Matchers.contains(3));
        given().queryParam("resolution", "PT90S").when().get("/footprints/" + job + "/timeline").then().statusCode(400)
                .body("violations[0].field", equalTo("resolution"));
    }

    @Test
    void aJobsReportComesAsJsonCsvOrMarkdown() throws Exception {
        String job = "job-" + UUID.randomUUID();
        TopicProbe.produce(kafka(), Topics.TELEMETRY_ENERGY,
                job, EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, -3600, "3960.000", "gcp-europe-west4")));
        for (int i = 0; i < 100 && given().when().get("/footprints/" + job).statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        given().when().get("/footprints/" + job + "/report").then().statusCode(200).contentType("application/json")
                .body("zone", equalTo("NL")).body("operationalKgCo2e", equalTo(0.000669713f))
                .body("sources", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("EPA-420-F-23-014")));
        given().queryParam("format", "csv").when().get("/footprints/" + job + "/report").then().statusCode(200)
                .contentType("text/csv").body(org.hamcrest.Matchers.containsString("operational emissions,0.000669713000,kgCO2e"));
        given().queryParam("format", "markdown").when().get("/footprints/" + job + "/report").then().statusCode(200)
                .contentType("text/markdown").body(org.hamcrest.Matchers.containsString("| PUE | 1.07 |"));
        given().queryParam("format", "pdf").when().get("/footprints/" + job + "/report").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("format"));

        // what if it had run in Sweden at PUE 1.1: 3960 J x 1.1 x 47 g/kWh / 3.6e6 = 0.05687 g instead of 0.669713 g
        given().queryParam("zone", "SE").queryParam("pue", "1.1").when().get("/footprints/" + job + "/what-if")
                .then().statusCode(200)
                .body("operationalGCo2e", equalTo(0.05687f)).body("actualOperationalGCo2e", equalTo(0.669713f))
                .body("operationalGCo2eDifference", equalTo(-0.612843f))
                // and its range: PUE 1.1 without a stated range, overhead +/- 50 %: 1.05..1.15; SE has no published
                // spread in the bundled table, so 47 +/- 50 %: 23.5..70.5 g/kWh; the batch is a schema-1 MODELED event,
                // so its IT energy is 3960 J +/- 40 %: 2376..5544 J
                .body("pueBounds.low", equalTo(1.05f)).body("pueBounds.high", equalTo(1.15f))
                .body("gCo2ePerKWhBounds.low", equalTo(23.5f)).body("gCo2ePerKWhBounds.high", equalTo(70.5f))
                .body("itEnergyJoulesBounds.low", equalTo(2376.0f)).body("itEnergyJoulesBounds.high", equalTo(5544.0f))
                // 2376 x 1.05 = 2494.8 J; 5544 x 1.15 = 6375.6 J
                .body("facilityEnergyJoulesBounds.low", equalTo(2494.8f)).body("facilityEnergyJoulesBounds.high", equalTo(6375.6f))
                // 2494.8 x 23.5 / 3.6e6 = 0.0162855 g; 6375.6 x 70.5 / 3.6e6 = 0.1248555 g
                .body("operationalGCo2eBounds.low", equalTo(0.0162855f))
                .body("operationalGCo2eBounds.high", equalTo(0.1248555f))
                .body("actualOperationalGCo2eBounds.low", org.hamcrest.Matchers.lessThanOrEqualTo(0.669713f))
                .body("actualOperationalGCo2eBounds.high", org.hamcrest.Matchers.greaterThanOrEqualTo(0.669713f));
        given().when().get("/footprints/" + job + "/what-if").then().statusCode(400);
    }

    @Test
    void aJobWithNoCountedBatchHasNoFootprint() {
        given().when().get("/footprints/never-seen").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no footprint for job never-seen (no batch of it has been counted)"));
    }
}
