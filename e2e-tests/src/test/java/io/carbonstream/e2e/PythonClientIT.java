package io.carbonstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbonstream.events.FootprintEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python client package (clients/python) with the real libraries against the running stack: installed with pip
 * from the clone into a virtual environment of target/ (the system's torch, lightning and transformers visible to
 * it), its own unit tests, a real PyTorch loop whose footprint counts every batch once with the energy it reported,
 * the same loop through a trainer-service outage, and Lightning and transformers runs through their callbacks.
 */
@Order(6)
class PythonClientIT {

    static LocalStack stack;
    static Path python;
    static Path client;

    @BeforeAll
    static void install() throws Exception {
        stack = LocalStack.shared();
        client = stack.root.resolve("clients/python");
        Path venv = stack.root.resolve("e2e-tests/target/python-client");
        if (!Files.exists(venv.resolve("bin/python"))) {
            run(List.of("python3", "-m", "venv", "--system-site-packages", venv.toString()), Map.of(), Duration.ofMinutes(2));
        }
        python = venv.resolve("bin/python");
        // setuptools reuses a build/ directory it finds in the source tree; a stale one would install old code
        deleteTree(client.resolve("build"));
        // from the clone, no index: the package has no dependencies and builds with the setuptools and wheel already there
        run(List.of(python.toString(), "-m", "pip", "install", "--quiet", "--no-index", "--no-build-isolation",
                "--force-reinstall", client.toString()), Map.of(), Duration.ofMinutes(3));
        String libraries = run(List.of(python.toString(), "-c",
                "import torch, lightning, transformers, pytest, carbonstream; print(carbonstream.__file__)"), Map.of(),
                Duration.ofMinutes(2));
        assertTrue(libraries.contains("python-client"), "the package is the installed one, not the source tree: " + libraries);
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static String run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CARBONSTREAM_SPILL_DIR", stack.root.resolve("e2e-tests/target/python-spill").toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), "timed out: " + command);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + text);
        return text;
    }

    static Map<String, String> env(String tenant) {
        return Map.of("CARBONSTREAM_URL", stack.trainer(), "CARBONSTREAM_TOKEN", stack.token(tenant, "trainer"),
                "PYTHONUNBUFFERED", "1");
    }

    static JsonNode lastJson(String out) throws IOException {
        return new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    }

    /** Σ over the reports of measuredPowerWatts x duration, each batch to 1 µJ, as telemetry-service prices it. */
    static BigDecimal reportedJoules(Path log) throws IOException {
        ObjectMapper json = new ObjectMapper();
        BigDecimal sum = BigDecimal.ZERO;
        for (String line : Files.readAllLines(log)) {
            JsonNode r = json.readTree(line);
            long nanos = Duration.between(Instant.parse(r.get("startedAt").asText()), Instant.parse(r.get("endedAt").asText())).toNanos();
            sum = sum.add(BigDecimal.valueOf(Double.parseDouble(r.get("measuredPowerWatts").asText()))
                    .multiply(BigDecimal.valueOf(nanos, 9)).setScale(6, RoundingMode.HALF_EVEN));
        }
        return sum;
    }

    @Test
    void thePackagesOwnTestsPass() throws Exception {
        String out = run(List.of(python.toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider", client.resolve("tests").toString()),
                Map.of(), Duration.ofMinutes(5));
        assertTrue(out.contains(" passed") && !out.contains("failed"), out);
    }

    @Test
    void aRealPyTorchLoopIsCountedOnceWithTheEnergyItReported() throws Exception {
        String job = "py-torch-" + UUID.randomUUID();
        Path log = Files.createTempFile("reports", ".jsonl");
        String out = run(List.of(python.toString(), client.resolve("e2e/torch_loop.py").toString(), job, "200", log.toString()),
                env("py-torch"), Duration.ofMinutes(5));
        JsonNode result = lastJson(out);
        assertTrue(result.get("last_loss").asDouble() < result.get("first_loss").asDouble(), "it really trained: " + out);
        FootprintEvent f = Await.footprint(job, 200);
        Await.sleep(1500);
        f = Await.footprint(job, 200);
        assertEquals(200, f.batches(), "every batch exactly once");
        assertEquals(200 * 64, f.samples());
        assertEquals(0, reportedJoules(log).compareTo(f.itEnergyJoules().accelerator()),
                "the accelerator energy is what the client measured: " + f.itEnergyJoules());
        assertEquals("py-torch", f.tenant());
        given().baseUri(stack.trainer()).get("/jobs/" + job).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("FINISHED"));
    }

    @Test
    void aTrainerServiceOutageMidRunLosesNothing() throws Exception {
        String job = "py-outage-" + UUID.randomUUID();
        Path log = Files.createTempFile("reports", ".jsonl");
        // 300 steps of 0.25 s: the loop trains on through the whole outage (a stop, 2 s, a start that waits until
        // trainer-service is ready: up to about 40 s on a loaded 2-core machine), so its reports are sent when the
        // service is back, not kept for a next run (which the client does when it exits before then: 10 s)
        List<String> command = List.of(python.toString(), client.resolve("e2e/torch_loop.py").toString(), job, "300",
                log.toString(), "0.25");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env("py-outage"));
        pb.environment().put("CARBONSTREAM_SPILL_DIR", stack.root.resolve("e2e-tests/target/python-spill").toString());
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(output::add));
        reader.start();
        // once the first batches are counted, trainer-service goes away while the loop trains on
        Await.footprint(job, 1);
        stack.stop("trainer");
        Await.sleep(2000);
        stack.start("trainer");
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the loop ended");
        reader.join();
        assertEquals(0, p.exitValue(), String.join("\n", output));
        JsonNode result = lastJson(String.join("\n", output));
        assertTrue(result.get("spilled").asInt() > 0, "reports were kept while trainer-service was away: " + output);
        FootprintEvent f = Await.footprint(job, 300);
        Await.sleep(1500);
        f = Await.footprint(job, 300);
        assertEquals(300, f.batches(), "every batch exactly once, none lost in the outage");
        assertEquals(0, reportedJoules(log).compareTo(f.itEnergyJoules().accelerator()));
    }

    @Test
    void lightningAndTransformersRunsAreTrackedByTheirCallbacks() throws Exception {
        String lightning = "py-lightning-" + UUID.randomUUID();
        run(List.of(python.toString(), client.resolve("e2e/lightning_loop.py").toString(), lightning, "30"),
                env("py-frameworks"), Duration.ofMinutes(5));
        assertEquals(30, Await.footprint(lightning, 30).batches());
        given().baseUri(stack.trainer()).get("/jobs/" + lightning).then().body("state", org.hamcrest.Matchers.equalTo("FINISHED"));

        String hf = "py-hf-" + UUID.randomUUID();
        Path out = Files.createTempDirectory("hf");
        run(List.of(python.toString(), client.resolve("e2e/huggingface_loop.py").toString(), hf, "20", out.toString()),
                env("py-frameworks"), Duration.ofMinutes(5));
        FootprintEvent f = Await.footprint(hf, 20);
        assertEquals(20, f.batches());
        assertEquals(20 * 8, f.samples());
        assertEquals(20 * 8 * 16, f.tokens());
        given().baseUri(stack.trainer()).get("/jobs/" + hf).then().body("state", org.hamcrest.Matchers.equalTo("FINISHED"));
    }
}
