package io.carbonstream.e2e;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One job's batches travel the whole way on real infrastructure: trainer-service (HTTP) -> training.batches ->
 * telemetry-service -> telemetry.energy -> carbon-service -> carbon.footprint and GET /footprints/{jobId}.
 */
@org.junit.jupiter.api.Order(1)
class PipelineIT {

    static LocalStack stack;

    @BeforeAll
    static void up() {
        stack = LocalStack.shared();
    }

    @Test
    void batchesOfTwoWorkersBecomeTheExactFootprintOnceEachEvenWhenRetriedAndOutOfOrder() {
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String job = given().baseUri(stack.trainer()).contentType("application/json").body("""
                        {"tenant":"team-nlp","name":"e2e","acceleratorType":"nvidia-a100-sxm4-40gb","acceleratorsPerWorker":8,
                         "workers":2,"datacenter":"gcp-europe-west4","startedAt":"%s"}""".formatted(t0))
                .when().post("/jobs").then().statusCode(201).extract().path("id");

        // steps 4..0 of worker 1, then 0..4 of worker 0: every batch 2 s at 50 % utilisation
        StringBuilder reports = new StringBuilder("[");
        int[][] order = {{1, 4}, {1, 3}, {1, 2}, {1, 1}, {1, 0}, {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}};
        for (int i = 0; i < order.length; i++) {
            int worker = order[i][0];
            int step = order[i][1];
            Instant start = t0.plusSeconds(10L * step + worker);
            reports.append(i == 0 ? "" : ",").append("""
                    {"workerId":"%d","step":%d,"startedAt":"%s","endedAt":"%s","samples":64,"tokens":65536,
                     "flops":1.0E15,"utilization":0.5}""".formatted(worker, step, start, start.plusSeconds(2)));
        }
        String body = reports.append("]").toString();
        given().baseUri(stack.trainer()).contentType("application/json").body(body)
                .when().post("/jobs/" + job + "/batches").then().statusCode(202).body("accepted", equalTo(10));
        // the trainer retries the whole request: every batch is delivered twice
        given().baseUri(stack.trainer()).contentType("application/json").body(body)
                .when().post("/jobs/" + job + "/batches").then().statusCode(202);
        // a bad report is refused and changes nothing
        given().baseUri(stack.trainer()).contentType("application/json")
                .body("{\"step\":5,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":1}".formatted(t0.plusSeconds(9), t0))
                .when().post("/jobs/" + job + "/batches").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("endedAt"));

        // per batch: 8 x (46 + 361 x 0.5) W x 2 s = 3624 J; 10 batches = 36240 J.
        // idle: each worker has 4 gaps of 8 s between its batches at 8 x 46 W = 368 W: 64 s x 368 W = 23552 J.
        // IT 59792 J x PUE 1.07 = 63977.44 J; x 569 g/kWh (NL, static table) / 3.6e6 J/kWh = 10.111989(8..) g
        FootprintEvent footprint = Await.footprint(job, 10);
        assertEquals(10, footprint.batches());
        assertEquals(new BigDecimal("36240.000000"), footprint.itEnergyJoules().accelerator());
        assertEquals(0, new BigDecimal("23552").compareTo(footprint.itEnergyJoules().idle()), footprint.toString());
        assertEquals(0, new BigDecimal("63977.44").compareTo(footprint.facilityEnergyJoules()));
        assertEquals(new BigDecimal("0.017771511111"), footprint.facilityEnergyKWh());
        assertEquals(new BigDecimal("10.111989822"), footprint.operationalGCo2e());
        assertEquals(655360, footprint.tokens());
        assertEquals(10, footprint.byPhase().get(io.carbonstream.events.Phase.PRETRAIN).batches());
        assertEquals("NL", footprint.lastIntensity().zone());
        assertEquals(io.carbonstream.events.GridIntensityEvent.Source.STATIC_TABLE, footprint.lastIntensity().source());

        try (TopicProbe probe = new TopicProbe(stack.bootstrapServers(), Topics.CARBON_FOOTPRINT)) {
            List<ConsumerRecord<String, String>> records = probe.readUntil(job, r -> r.value().contains("\"batches\":10,"),
                    Duration.ofSeconds(30));
            assertEquals(10, records.size(), "one footprint update per distinct batch, none for the duplicates");
            FootprintEvent last = EventJson.decode(records.get(9).value().getBytes(StandardCharsets.UTF_8), FootprintEvent.class);
            assertEquals(new BigDecimal("10.111989822"), last.operationalGCo2e());
            assertEquals(0, new BigDecimal("59792").compareTo(last.itEnergyJoules().total()));
        }
        assertTrue(stack.status().contains("carbon     running"), stack.status());
    }

    @Test
    void theBuiltInTrainerRunsThroughThePipeline() {
        String job = given().baseUri(stack.trainer()).contentType("application/json").body("{\"steps\":20,\"batchSize\":32}")
                .when().post("/trainer/runs").then().statusCode(202).extract().path("jobId");
        FootprintEvent footprint = Await.footprint(job, 20);
        assertEquals(640, footprint.tokens());
        assertTrue(footprint.itEnergyJoules().cpu().signum() > 0, "CPU energy counted");
        assertEquals("DE", footprint.lastIntensity().zone());
        given().baseUri(stack.trainer()).when().get("/jobs/" + job).then().body(containsString("FINISHED"));
    }

    @Test
    void aReplayedRunEndsAtTheExactTotalsOfItsDeclaration() throws Exception {
        // T5 as declared in Patterson et al. 2021 (512 TPUv3 at 310 W), cut to 3 hours: 6 windows of 256 chips
        String job = given().baseUri(stack.trainer()).contentType("application/json").body("""
                        {"tenant":"research","name":"T5 replay","acceleratorType":"google-tpu-v3","acceleratorCount":512,
                         "hours":3,"averagePowerWatts":310,"datacenter":"gcp-us-central1","startedAt":"2026-01-10T00:00:00Z",
                         "acceleratorsPerWorker":256,"windowsPerSecond":0}""")
                .when().post("/replays").then().statusCode(202).extract().path("jobId");
        FootprintEvent f = Await.footprint(job, 6);
        // 512 x 310 W x 3 h = 1,714,176,000 J; x PUE 1.11 (gcp-us-central1) = 1,902,735,360 J;
        // x 566.3 g/kWh (US-MIDW-MISO static) / 3.6e6 = 299,310.84288 g
        assertEquals(new BigDecimal("1714176000.000000"), f.itEnergyJoules().accelerator());
        assertEquals(0, new BigDecimal("1902735360").compareTo(f.facilityEnergyJoules()));
        assertEquals(0, BigDecimal.ZERO.compareTo(f.itEnergyJoules().idle()), "the windows leave no gaps");

        // the same run estimated without streaming ends at exactly the same totals
        var estimate = given().baseUri(stack.carbon()).contentType("application/json").body("""
                        {"acceleratorType":"google-tpu-v3","acceleratorCount":512,"hours":3,"averagePowerWatts":310,
                         "datacenter":"gcp-us-central1","at":"2026-01-10T01:30:00Z"}""")
                .when().post("/estimates").then().statusCode(200).extract().asByteArray();
        var tree = EventJson.mapper().readTree(estimate);
        assertEquals(0, f.operationalGCo2e().compareTo(tree.get("operationalGCo2e").decimalValue()), tree.toString());
        assertEquals(0, f.itEnergyJoules().total().compareTo(tree.get("itEnergyJoules").decimalValue()));
        assertEquals(0, f.embodiedGCo2e().compareTo(tree.get("embodiedGCo2e").decimalValue()));

        // declared by utilization instead: the power comes from telemetry-service's model (TPU v3: 283 W at full load)
        byte[] byUtilization = given().baseUri(stack.carbon()).contentType("application/json").body("""
                        {"acceleratorType":"google-tpu-v3","acceleratorCount":512,"hours":3,"averageUtilization":1,
                         "pue":1.11,"gCo2ePerKWh":566.3}""")
                .when().post("/estimates").then().statusCode(200).extract().asByteArray();
        BigDecimal modelled = null;
        for (var a : EventJson.mapper().readTree(byUtilization).get("assumptions")) {
            if (a.get("name").asText().equals("power per accelerator")) {
                modelled = a.get("value").decimalValue();
            }
        }
        assertEquals(0, new BigDecimal("283").compareTo(modelled), "the seeded TPU v3 profile at full load");
        assertEquals(new BigDecimal("299310.842880000"), f.operationalGCo2e());
    }

    @Test
    void aTpuV5eWithoutPublishedPowerIsPricedOnlyByADeclaredFigure() {
        // the seeded google-tpu-v5e profile has no power figures: a declared average prices a replay exactly
        String job = given().baseUri(stack.trainer()).contentType("application/json").body("""
                        {"tenant":"research","name":"v5e replay","acceleratorType":"google-tpu-v5e","acceleratorCount":16,
                         "hours":1,"averagePowerWatts":200,"datacenter":"gcp-us-central1","startedAt":"2026-01-12T00:00:00Z",
                         "windowMinutes":30,"acceleratorsPerWorker":16,"windowsPerSecond":0}""")
                .when().post("/replays").then().statusCode(202).extract().path("jobId");
        FootprintEvent f = Await.footprint(job, 2);
        // 16 x 200 W x 3600 s, declared by the user
        assertEquals(new BigDecimal("11520000.000000"), f.itEnergyJoules().accelerator());
        assertEquals(0, BigDecimal.ZERO.compareTo(f.itEnergyJoules().idle()), "the windows leave no gaps");
        // without a declared figure, neither an estimate nor the model guesses one
        given().baseUri(stack.carbon()).contentType("application/json").body("""
                        {"acceleratorType":"google-tpu-v5e","acceleratorCount":16,"hours":1,"averageUtilization":0.5,
                         "pue":1.1,"gCo2ePerKWh":400}""")
                .when().post("/estimates").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("acceleratorType"))
                .body("violations[0].message", containsString("google-tpu-v5e has no power model"));
        given().baseUri(stack.telemetry()).queryParam("utilization", "0.5").when().get("/hardware/google-tpu-v5e/power")
                .then().statusCode(409).body("type", org.hamcrest.Matchers.equalTo("/problems/no-power-model"));
    }

    @Test
    void thePythonTrainingLoopHookReportsThroughThePipeline() throws Exception {
        ProcessBuilder hook = new ProcessBuilder("python3", stack.root.resolve("examples/python/carbonstream_hook.py").toString(),
                "--demo", "--url", stack.trainer(), "--steps", "10").redirectErrorStream(true);
        // as a user runs it: a trainer token of the tenant in CARBONSTREAM_TOKEN
        hook.environment().put("CARBONSTREAM_TOKEN", stack.token("python-demo", "trainer"));
        Process p = hook.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        String job = out.lines().reduce((a, b) -> b).orElseThrow();
        FootprintEvent f = Await.footprint(job, 10);
        assertEquals(10, f.batches());
        assertEquals(10 * 32 * 128, f.tokens());
        assertTrue(f.itEnergyJoules().accelerator().signum() > 0, "T4 energy modelled at 80 %");
        assertEquals("US-MIDA-PJM", f.lastIntensity().zone());
        assertEquals("python-demo", f.tenant(), "the job is the token's tenant's");
    }
}
