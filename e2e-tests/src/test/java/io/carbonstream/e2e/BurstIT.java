package io.carbonstream.e2e;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.RollupEvent;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Backpressure: a burst far above steady load, reported over HTTP as fast as four clients can (arrays of 1000), is
 * counted exactly while every process's memory stays bounded. Kafka holds what the services have not processed yet;
 * each service reads at its own pace. {@code -Dcarbonstream.burst.batches=1000000} runs the full million (see
 * docs/reliability.md for its figures); CI runs 30,000.
 */
@Order(4)
class BurstIT {

    static final int BATCHES = Integer.getInteger("carbonstream.burst.batches", 30_000);
    static final int PER_REQUEST = 1000;
    static final int PER_JOB = 5000;
    static final int CLIENTS = 4;
    /** Far above the services' heaps (-Xmx384m) plus RocksDB and the JVM itself, and far below a leak's growth. */
    static final long MAX_RSS_KIB = 1536 * 1024;

    @Test
    void aBurstOfBatchesIsCountedExactlyWithBoundedMemory() throws Exception {
        LocalStack stack = LocalStack.shared();
        String tenant = "burst-" + Long.toString(System.nanoTime(), 36);
        int jobCount = (BATCHES + PER_JOB - 1) / PER_JOB;
        Instant t0 = Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> jobs = new ArrayList<>();
        for (int j = 0; j < jobCount; j++) {
            jobs.add(given().baseUri(stack.trainer()).contentType("application/json").body("""
                            {"tenant":"%s","name":"burst %d","acceleratorType":"nvidia-t4","datacenter":"aws-eu-north-1","startedAt":"%s"}"""
                            .formatted(tenant, j, t0))
                    .when().post("/jobs").then().statusCode(201).extract().path("id"));
        }
        Map<String, Long> maxRss = new TreeMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                for (String p : List.of("trainer", "telemetry", "carbon", "kafka-broker")) {
                    maxRss.merge(p, stack.rssKiB(p), Math::max);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int requests = BATCHES / PER_REQUEST;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                for (int r = next.getAndIncrement(); r < requests; r = next.getAndIncrement()) {
                    int first = r * PER_REQUEST;
                    String job = jobs.get(first / PER_JOB);
                    StringBuilder body = new StringBuilder("[");
                    for (int i = first; i < first + PER_REQUEST; i++) {
                        int step = i % PER_JOB;
                        Instant s = t0.plusSeconds(600L * step);
                        body.append(i == first ? "" : ",").append("{\"step\":").append(step).append(",\"startedAt\":\"").append(s)
                                .append("\",\"endedAt\":\"").append(s.plusSeconds(1)).append("\",\"samples\":1}");
                    }
                    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.trainer() + "/jobs/" + job + "/batches"))
                            .header("Authorization", "Bearer " + stack.admin())
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                            .POST(HttpRequest.BodyPublishers.ofString(body.append("]").toString())).build();
                    while (true) {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 202) {
                            break;
                        }
                        assertTrue(response.statusCode() >= 500, response.body());
                        retried.incrementAndGet();
                        Thread.sleep(200);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        double postSeconds = (System.nanoTime() - start) / 1e9;
        RollupEvent total = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60 + BATCHES / 200).toNanos();
        while (System.nanoTime() < deadline && (total == null || total.batches() < BATCHES)) {
            var r = given().baseUri(stack.carbon()).when().get("/rollups/tenants/" + tenant);
            total = r.statusCode() == 200 ? EventJson.decode(r.asByteArray(), RollupEvent.class) : null;
            Thread.sleep(500);
        }
        double endToEndSeconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        sampler.join();
        System.out.printf("burst: %d batches over %d jobs; accepted over HTTP in %.1f s (%.0f batches/s, %d requests retried);"
                        + " all counted after %.1f s (%.0f batches/s end to end); max RSS KiB %s%n", BATCHES, jobCount, postSeconds,
                BATCHES / postSeconds, retried.get(), endToEndSeconds, BATCHES / endToEndSeconds, maxRss);
        if (total == null || total.batches() != BATCHES) {
            fail("the tenant's roll-up counts " + (total == null ? "nothing" : total.batches() + " batches") + " of " + BATCHES
                    + " after " + Math.round(endToEndSeconds) + " s" + Diagnosis.of(stack, jobs));
        }
        assertEquals(jobCount, total.jobs());
        // every batch one second of a T4 at full load: 71 J
        assertEquals(0, new BigDecimal(71L * BATCHES).compareTo(total.itEnergyJoules()), total.toString());
        FootprintEvent last = Await.footprint(stack, jobs.get(jobCount - 1), BATCHES - (jobCount - 1) * PER_JOB,
                Duration.ofSeconds(30));
        assertEquals(new BigDecimal(71L * (BATCHES - (jobCount - 1) * PER_JOB)).setScale(6), last.itEnergyJoules().accelerator());
        for (var e : maxRss.entrySet()) {
            assertTrue(e.getValue() > 0 && e.getValue() < MAX_RSS_KIB, e.getKey() + " RSS " + e.getValue() + " KiB");
        }
    }
}
