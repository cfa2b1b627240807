package io.carbonstream.carbon.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TestTokens;
import io.carbonstream.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.bounded;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tenant's month: per job and in total, and the total is the tenant's month roll-up to the last digit. */
@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class ReportResourceTest {

    /** The same batch as Fixtures makes, for another tenant, moved to start at {@code start}. */
    static EnergyEvent batch(String tenant, String job, Instant start, String joules) {
        EnergyEvent e = bounded(energy(job, UUID.randomUUID(), Phase.PRETRAIN, 0, joules, "gcp-europe-west4"),
                EnergyMethod.MEASURED, joules, new BigDecimal(joules).multiply(new BigDecimal("1.05")).toPlainString());
        return new EnergyEvent(2, e.eventId(), job, tenant, "0", e.step(), e.phase(), start, start.plusMillis(1500), e.samples(),
                e.tokens(), e.flops(), e.acceleratorType(), e.acceleratorCount(), e.datacenter(), e.energyJoules(),
                e.averagePowerWatts(), e.method(), e.powerModelId(), e.powerModelVersion(), e.computedAt(), e.energyBounds());
    }

    static JsonNode json(String path) throws Exception {
        return EventJson.mapper().readTree(given().when().get(path).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void aTenantsMonthListsEachJobAndTheirSumIsTheMonthsRollupExactly() throws Exception {
        String tenant = "team-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> records = new ArrayList<>();
        Instant march = Instant.parse("2026-03-10T08:00:00Z");
        for (int i = 0; i < 3; i++) {
            EnergyEvent a = batch(tenant, "job-a-" + tenant, march.plusSeconds(60L * i), (1000 + 7 * i) + ".123457");
            EnergyEvent b = batch(tenant, "job-b-" + tenant, march.plusSeconds(90L * i), (2500 + 11 * i) + ".000001");
            records.addAll(List.of(a.jobId(), EventJson.encodeToString(a), b.jobId(), EventJson.encodeToString(b)));
        }
        // job A also ran in April: that batch is April's, not March's
        EnergyEvent april = batch(tenant, "job-a-" + tenant, Instant.parse("2026-04-02T08:00:00Z"), "999.5");
        records.addAll(List.of(april.jobId(), EventJson.encodeToString(april)));
        TopicProbe.produce(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TELEMETRY_ENERGY, records.toArray(String[]::new));
        String base = "/reports/tenants/" + tenant + "/months/2026-03";
        JsonNode report = null;
        for (int i = 0; i < 150; i++) {
            report = json(base);
            if (report.path("total").path("batches").asLong() == 6 && report.get("jobs").size() == 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(6, report.get("total").get("batches").asLong(), report.toString());
        JsonNode monthRollup = null;
        for (JsonNode r : json("/rollups")) {
            if (r.get("kind").asText().equals("TENANT_MONTH") && r.get("tenant").asText().equals(tenant) && r.get("name").asText().equals("2026-03")) {
                monthRollup = r;
            }
            assertTrue(!r.get("kind").asText().equals("TENANT_MONTH_JOB"), "a job's part of a month is not a published roll-up");
        }
        JsonNode total = report.get("total");
        // the total is the month's roll-up, to the last digit, both ways of Scope 2 and their ends
        assertEquals(monthRollup.get("operationalGCo2e").decimalValue().movePointLeft(3), total.get("locationBasedKgCo2e").decimalValue());
        assertEquals(monthRollup.get("scope2").get("marketBasedGCo2e").decimalValue().movePointLeft(3),
                total.get("marketBasedKgCo2e").decimalValue());
        assertEquals(monthRollup.get("uncertainty").get("operationalGCo2e").get("high").decimalValue().movePointLeft(3),
                total.get("locationBasedKgCo2eBounds").get("high").decimalValue());
        // and the jobs' rows add up to it: exact for energy; grams are each rounded to 1 ng, so within a nanogram per job
        BigDecimal kWh = BigDecimal.ZERO, kg = BigDecimal.ZERO;
        long batches = 0;
        for (JsonNode job : report.get("jobs")) {
            kWh = kWh.add(job.get("facilityEnergyKWh").decimalValue());
            kg = kg.add(job.get("locationBasedKgCo2e").decimalValue());
            batches += job.get("batches").asLong();
        }
        assertEquals(6, batches);
        assertTrue(kWh.subtract(total.get("facilityEnergyKWh").decimalValue()).abs().compareTo(new BigDecimal("2e-12")) <= 0, kWh + " vs " + total);
        assertTrue(kg.subtract(total.get("locationBasedKgCo2e").decimalValue()).abs().compareTo(new BigDecimal("2e-12")) <= 0, kg + " vs " + total);
        assertEquals(List.of("job-a-" + tenant, "job-b-" + tenant),
                List.of(report.get("jobs").get(0).get("jobId").asText(), report.get("jobs").get(1).get("jobId").asText()));
        // NL has a residual mix (AIB 2024, holding on): nothing charged location-based in the market-based figure
        assertEquals(0, BigDecimal.ZERO.compareTo(total.get("locationFallbackShare").decimalValue()));
        given().when().get(base + "?format=csv").then().statusCode(200).contentType("text/csv")
                .body(containsString("\n" + tenant + ",2026-03,TOTAL,")).body(containsString("\n" + tenant + ",2026-03,job-a-" + tenant + ","));
        given().when().get(base + "?format=markdown").then().statusCode(200).contentType("text/markdown")
                .body(containsString("Scope 2, location-based")).body(containsString("Embodied emissions, not Scope 2"));
        // April has job A's one batch only
        assertEquals(1, json("/reports/tenants/" + tenant + "/months/2026-04").get("jobs").size());
    }

    @Test
    void aBadMonthIsRefusedNamingItAndAnotherTenantsMonthIsNotFound() {
        for (String month : List.of("2026-13", "march", "1999-12", "2026-3", "2026-03-01")) {
            given().when().get("/reports/tenants/team-x/months/" + month).then().statusCode(400)
                    .contentType("application/problem+json").body("violations[0].field", equalTo("month"));
        }
        given().when().get("/reports/tenants/team-x/months/2026-03?format=pdf").then().statusCode(400)
                .body("violations[0].field", equalTo("format"));
        given().auth().oauth2(TestTokens.of("team-y", "viewer")).when().get("/reports/tenants/team-x/months/2026-03")
                .then().statusCode(404);
        // a month without a batch: an empty report, not an error
        given().auth().oauth2(TestTokens.of("team-y", "viewer")).when().get("/reports/tenants/team-y/months/2031-01")
                .then().statusCode(200).body("jobs.size()", equalTo(0));
    }
}
