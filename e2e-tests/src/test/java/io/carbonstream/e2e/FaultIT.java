package io.carbonstream.e2e;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.TopicProbe;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing lost, nothing doubled when anything dies: 10,000 batches of 20 jobs reported over HTTP while
 * telemetry-service, carbon-service, trainer-service and the Kafka broker (twice: brought back once by {@code up},
 * once by {@code start kafka}) are each killed with SIGKILL mid-run and started again; the client retries every
 * request that got no 202, as a trainer would. Every job ends at its exact totals with exactly one committed
 * footprint update per batch. Runs last: it restarts parts of the shared stack.
 */
@Order(10)
class FaultIT {

    static final int JOBS = 20;
    static final int BATCHES_PER_JOB = 500;
    static final int PER_REQUEST = 125;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, Long> timings = new LinkedHashMap<>();
    int retries;

    @Test
    void killingEachServiceAndTheBrokerMidRunLosesNothingAndCountsNothingTwice() throws Exception {
        LocalStack stack = LocalStack.shared();
        Instant t0 = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> jobs = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
            jobs.add(given().baseUri(stack.trainer()).contentType("application/json").body("""
                            {"tenant":"fault","name":"fault %d","acceleratorType":"nvidia-t4","datacenter":"aws-eu-north-1","startedAt":"%s"}"""
                            .formatted(j, t0))
                    .when().post("/jobs").then().statusCode(201).extract().path("id"));
        }
        // requests in round-robin over the jobs; faults between them
        Map<Integer, String> faults = Map.of(10, "telemetry", 25, "carbon", 40, "trainer", 55, "kafka", 70, "kafka again");
        int requests = JOBS * BATCHES_PER_JOB / PER_REQUEST;
        long started = System.nanoTime();
        for (int r = 0; r < requests; r++) {
            if (faults.containsKey(r)) {
                String fault = faults.get(r);
                String victim = fault.replace(" again", "");
                stack.kill(victim);
                if (!victim.equals("kafka")) {
                    // the pipeline runs on without it for a while: the trainer keeps reporting
                    post(stack, jobs, r, t0, victim.equals("trainer"));
                    if (!victim.equals("trainer")) {
                        r++;
                    }
                }
                long before = System.nanoTime();
                if (fault.equals("kafka")) {
                    // 'up' repairs a half-dead stack: it starts the broker again and leaves the running services alone
                    String out = stack.repair();
                    assertTrue(out.contains("carbon     already running"), out);
                } else {
                    stack.start(victim);
                }
                timings.put((fault.equals("kafka") ? "up after kill kafka" : "start " + fault) + " (ms)",
                        (System.nanoTime() - before) / 1_000_000);
            }
            post(stack, jobs, r, t0, false);
        }
        long posted = System.nanoTime();
        for (String job : jobs) {
            FootprintEvent f = Await.footprint(stack, job, BATCHES_PER_JOB, Duration.ofSeconds(240));
            // 500 one-second batches of one T4 at full load (71 W), 10 minutes apart (no idle time)
            assertEquals(BATCHES_PER_JOB, f.batches(), job);
            assertEquals(new BigDecimal("35500.000000"), f.itEnergyJoules().accelerator(), job);
            assertEquals(0, BigDecimal.ZERO.compareTo(f.itEnergyJoules().idle()), job);
            // x PUE 1.135 (aws-eu-north-1)
            assertEquals(0, new BigDecimal("40292.5").compareTo(f.facilityEnergyJoules()), job);
        }
        timings.put("last request to every total exact (ms)", (System.nanoTime() - posted) / 1_000_000);
        timings.put("whole run (ms)", (System.nanoTime() - started) / 1_000_000);
        RollupEvent team = null;
        for (int i = 0; i < 600 && (team == null || team.batches() < JOBS * BATCHES_PER_JOB); i++) {
            var r = given().baseUri(stack.carbon()).when().get("/rollups/tenants/fault");
            team = r.statusCode() == 200 ? EventJson.decode(r.asByteArray(), RollupEvent.class) : null;
            Thread.sleep(100);
        }
        assertEquals(JOBS * BATCHES_PER_JOB, team.batches());
        assertEquals(JOBS, team.jobs());
        assertEquals(0, new BigDecimal("710000").compareTo(team.itEnergyJoules()), team.toString());
        for (String job : List.of(jobs.get(0), jobs.get(JOBS - 1))) {
            try (TopicProbe probe = new TopicProbe(stack.bootstrapServers(), Topics.CARBON_FOOTPRINT)) {
                int committed = probe.readUntil(job, rec -> rec.value().contains("\"batches\":" + BATCHES_PER_JOB + ","),
                        Duration.ofSeconds(60)).size();
                assertEquals(BATCHES_PER_JOB, committed, "one committed update per batch of " + job);
            }
        }
        System.out.println("fault run: " + JOBS * BATCHES_PER_JOB + " batches, " + retries + " requests retried; " + timings);
        FuzzIT.assertHealthy();
    }

    /** Request {@code r}: batches of one job; retried until the trainer answers 202 (restarting it if asked). */
    private void post(LocalStack stack, List<String> jobs, int r, Instant t0, boolean trainerDown) throws Exception {
        String job = jobs.get(r % JOBS);
        int first = (r / JOBS) * PER_REQUEST;
        StringBuilder body = new StringBuilder("[");
        for (int step = first; step < first + PER_REQUEST; step++) {
            Instant start = t0.plusSeconds(600L * step);
            body.append(step == first ? "" : ",").append("""
                    {"step":%d,"startedAt":"%s","endedAt":"%s","samples":1}""".formatted(step, start, start.plusSeconds(1)));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.trainer() + "/jobs/" + job + "/batches"))
                .header("Authorization", "Bearer " + stack.admin())
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]").toString())).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return;
                }
                if (response.statusCode() < 500) {
                    throw new AssertionError("request " + r + " refused: " + response.statusCode() + " " + response.body());
                }
            } catch (java.io.IOException e) {
                if (trainerDown) {
                    return; // reported again after the restart, like a trainer's retry
                }
            }
            retries++;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request " + r + " never accepted");
            }
            Thread.sleep(500);
        }
    }
}
