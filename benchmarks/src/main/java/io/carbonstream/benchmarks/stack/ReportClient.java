package io.carbonstream.benchmarks.stack;

import io.carbonstream.events.Topics;
import io.carbonstream.local.Tokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.carbonstream.benchmarks.stack.BenchKafka.T0;

/** Through trainer-service's HTTP ingestion, as external trainers arrive, with a token of tenant bench. */
final class ReportClient {

    private final String base;
    private final String auth;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ReportClient(String base, Path keys) {
        this.base = base;
        this.auth = "Bearer " + Tokens.issue(Tokens.keys(keys).getPrivate(), "bench", Set.of("trainer", "viewer"),
                Duration.ofHours(2));
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        // a request that gets no answer fails the phase instead of holding it for ever
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Watchdog.STALL)
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    void register(String job) throws Exception {
        var r = post("/jobs", "{\"id\":\"" + job + "\",\"name\":\"bench\",\"acceleratorType\":\"nvidia-a100-sxm4-40gb\","
                + "\"acceleratorsPerWorker\":8,\"datacenter\":\"on-prem-de\",\"startedAt\":\"" + T0 + "\"}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST /jobs answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** {@code count} batch reports from step {@code fromStep}, as a JSON array: one second each, 8 A100s at 80 %. */
    static String reports(int fromStep, int count) {
        StringBuilder b = new StringBuilder(count * 120).append('[');
        for (int s = fromStep; s < fromStep + count; s++) {
            b.append(s == fromStep ? "" : ",").append("{\"step\":").append(s).append(",\"startedAt\":\"")
                    .append(T0.plusSeconds(s)).append("\",\"endedAt\":\"").append(T0.plusSeconds(s + 1))
                    .append("\",\"samples\":32,\"tokens\":65536,\"utilization\":0.8}");
        }
        return b.append(']').toString();
    }

    /**
     * {@code events} reports over {@code jobs} jobs in arrays of 1000, four requests at a time; prints the rate they
     * were accepted at and the rate end to end. Returns the accepted rate, in reports per second.
     */
    double ingest(String bootstrap, String run, int events, int jobs) throws Exception {
        int perJob = events / jobs;
        for (int j = 0; j < jobs; j++) {
            register("bench-" + run + "-" + j);
        }
        List<String[]> requests = new ArrayList<>();
        for (int from = 0; from < perJob; from += 1000) {
            for (int j = 0; j < jobs; j++) {
                requests.add(new String[] {"/jobs/bench-" + run + "-" + j + "/batches", reports(from, Math.min(1000, perJob - from))});
            }
        }
        String prefix = "bench-" + run + "-";
        try (KafkaConsumer<String, byte[]> footprints = BenchKafka.consumer(bootstrap, "read_committed")) {
            BenchKafka.fromEnd(footprints, Topics.CARBON_FOOTPRINT);
            // daemon threads: a failed request must not keep the benchmark's JVM alive
            var pool = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "bench-http");
                t.setDaemon(true);
                return t;
            });
            long start = System.nanoTime();
            List<Future<Integer>> answers = new ArrayList<>();
            for (String[] r : requests) {
                answers.add(pool.submit(() -> {
                    var answer = post(r[0], r[1]);
                    if (answer.statusCode() != 202) {
                        throw new IllegalStateException("a batch report was answered " + answer.statusCode() + ": " + answer.body());
                    }
                    return answer.statusCode();
                }));
            }
            Watchdog answered = new Watchdog("HTTP ingest");
            int done = 0;
            for (var a : answers) {
                while (true) {
                    try {
                        a.get(1, TimeUnit.SECONDS);
                        break;
                    } catch (TimeoutException e) {
                        answered.progress(done, done + " of " + answers.size() + " POSTs answered by " + base);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("HTTP ingest: " + e.getCause().getMessage(), e.getCause());
                    }
                }
                answered.progress(++done, done + " of " + answers.size() + " POSTs answered");
            }
            long accepted = System.nanoTime();
            pool.shutdown();
            PipelineRun.Progress progress = new PipelineRun.Progress(prefix, perJob);
            Watchdog watchdog = new Watchdog("HTTP end to end");
            while (progress.complete < jobs) {
                for (ConsumerRecord<String, byte[]> r : footprints.poll(Duration.ofMillis(100))) {
                    progress.take(r);
                }
                watchdog.progress(progress.batches, progress.batches + " of " + perJob * jobs + " reported batches counted, "
                        + progress.complete + " of " + jobs + " jobs complete");
            }
            long end = System.nanoTime();
            double rate = perJob * jobs / ((accepted - start) / 1e9);
            System.out.printf("HTTP ingest    %,10.0f reports/s accepted  (%d POSTs of up to 1000 reports, 4 at a time, each answered 202)%n",
                    rate, requests.size());
            System.out.printf("HTTP end to end %,9.0f events/s  (first POST to the last job's footprint)%n",
                    perJob * jobs / ((end - start) / 1e9));
            return rate;
        }
    }

    /** {@code n} POSTs of 10 reports, one after another, as a synchronous trainer sends them. */
    Percentiles postsOfTen(String run, int n) throws Exception {
        String job = "bench-" + run + "-small";
        register(job);
        List<Double> millis = new ArrayList<>(n);
        for (int i = 0; i < n + 20; i++) {
            String body = reports(i * 10, 10);
            long t = System.nanoTime();
            var answer = post("/jobs/" + job + "/batches", body);
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("a POST of 10 reports was answered " + answer.statusCode() + ": " + answer.body());
            }
            if (i >= 20) { // the first ones open connections
                millis.add((System.nanoTime() - t) / 1e6);
            }
        }
        return Percentiles.of(millis);
    }
}
