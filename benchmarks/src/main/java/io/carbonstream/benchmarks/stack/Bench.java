package io.carbonstream.benchmarks.stack;

import io.carbonstream.local.LocalInfra;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * End-to-end throughput of a running stack, as a ratio to Kafka without carbonstream on the same machine and broker,
 * with the CPU time each process spends per event:
 * <ol>
 *   <li>raw Kafka ({@link KafkaCeilings#rawKafka}) and three hops of plain transactional clients
 *       ({@link KafkaCeilings#threeHops}), the ceiling of this architecture;</li>
 *   <li>carbonstream ({@link PipelineRun#throughput}): the same number of batch events produced to
 *       {@code training.batches}, first send to the last job's footprint on {@code carbon.footprint} counting all
 *       its batches (telemetry-service and carbon-service, exactly once, in between);</li>
 *   <li>latency at half that rate ({@link PipelineRun#latency}), and HTTP ingestion ({@link ReportClient}) against a
 *       plain producer ({@link KafkaCeilings#produceOnly});</li>
 * </ol>
 * with the memory ({@link ProcessSampler}) of every process after each phase; {@code bench recovery} measures how
 * long footprints stay behind a crash ({@link Recovery}). Everything runs after a warm-up of
 * 10,000 events ({@code --warmup}). Run it with {@code deploy/local/carbonstream bench [EVENTS] [JOBS]}.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // one line that says which phase failed and why, then the trace; never a JVM left waiting
            System.out.flush();
            System.err.println("bench failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        Map<String, String> opts = LocalInfra.options(args);
        String bootstrap = opts.getOrDefault("bootstrap", "127.0.0.1:19092");
        int events = Integer.parseInt(opts.getOrDefault("events", "20000"));
        int jobs = Integer.parseInt(opts.getOrDefault("jobs", "100"));
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", "6"));
        String mode = opts.getOrDefault("mode", "all");
        if (opts.containsKey("relay-java")) {
            System.setProperty("bench.relay-java", opts.get("relay-java"));
        }
        if (events < jobs || jobs < 1) {
            throw new IllegalArgumentException("need at least one event per job (events " + events + ", jobs " + jobs + ")");
        }
        try (ProcessSampler processes = new ProcessSampler(opts.get("run-dir") == null ? null : Path.of(opts.get("run-dir")))) {
            int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10000"));
            if (warmup > 0) {
                // the services' JIT compilers need a few thousand events before they run at speed
                String warm = UUID.randomUUID().toString().substring(0, 8);
                if (mode.equals("all")) {
                    KafkaCeilings.rawKafka(bootstrap, "bench.raw." + warm, partitions, BenchKafka.batches(warm, warmup, jobs));
                }
                System.out.printf("warm-up        %d events (not counted)%n", warmup);
                PipelineRun.throughput(bootstrap, warm, warmup, jobs, 0, null);
            }
            switch (mode) {
                case "all" -> all(opts, bootstrap, events, jobs, partitions, processes);
                case "scale" -> scale(bootstrap, events, processes);
                case "soak" -> soak(bootstrap, events, jobs, processes, opts);
                case "recovery" -> recovery(bootstrap, jobs, opts);
                case "latency" -> latencyCurve(bootstrap, events, jobs, processes);
                case "steady" -> steady(bootstrap, Double.parseDouble(opts.getOrDefault("rate", "500")),
                        Integer.parseInt(opts.getOrDefault("seconds", "30")), jobs, processes);
                default -> throw new IllegalArgumentException("--mode is all, scale, soak, recovery, latency or steady, not " + mode);
            }
        }
    }

    /** The local stack's processes whose CPU a carbonstream phase counts: the broker and the three services. */
    static boolean stackProcess(String name) {
        return name.equals("broker") || isService(name);
    }

    static boolean isService(String name) {
        return name.startsWith("trainer") || name.startsWith("telemetry") || name.startsWith("carbon");
    }

    /** Every figure of one run: ceilings, end to end over Kafka, CPU per event, latency at half speed, HTTP, memory. */
    static void all(Map<String, String> opts, String bootstrap, int events, int jobs, int partitions,
                    ProcessSampler processes) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<ProducerRecord<String, byte[]>> batches = BenchKafka.batches(run, events, jobs);
        long bytes = batches.stream().mapToLong(r -> r.value().length).sum();
        System.out.printf("carbonstream bench %s: %d batch events (%d jobs, %d B average), broker %s%n",
                run, events, jobs, bytes / events, bootstrap);

        double raw = KafkaCeilings.rawKafka(bootstrap, "bench.raw." + run, partitions, batches);
        System.out.printf("raw Kafka      %,10.0f events/s  (produce to a %d-partition topic, consume once)%n", raw, partitions);
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10000"));
        KafkaCeilings.Measured hops = KafkaCeilings.threeHops(bootstrap, "bench.hop." + run, partitions,
                BenchKafka.batches(run + "w", Math.max(warmup, jobs), jobs), batches, processes);
        System.out.printf("three hops     %,10.0f events/s  (plain clients x3, a JVM each, after %d events of warm-up: consume,"
                + " produce in a transaction, commit every %d ms)%n", hops.eventsPerSecond(), Math.max(warmup, jobs), Relay.COMMIT_MS);
        double relays = ProcessSampler.sum(hops.cpuPerEvent(), name -> name.startsWith("relay-"));
        System.out.printf("CPU/event      %s; the three clients %,.1f us  (user + system CPU per event)%n",
                ProcessSampler.format(hops.cpuPerEvent()), relays);
        batches = null;
        processes.phase();
        KafkaCeilings.Measured pipeline = PipelineRun.throughput(bootstrap, run, events, jobs, 0, processes);
        System.out.printf("carbonstream   %,10.0f events/s  (training.batches -> telemetry -> carbon.footprint, exactly once)%n",
                pipeline.eventsPerSecond());
        double services = ProcessSampler.sum(pipeline.cpuPerEvent(), Bench::isService);
        System.out.printf("CPU/event      %s; the three services %,.1f us%n", ProcessSampler.format(pipeline.cpuPerEvent()),
                services);
        System.out.printf("ratio          %10.3f  (carbonstream / raw Kafka)%n", pipeline.eventsPerSecond() / raw);
        System.out.printf("ratio          %10.3f  (carbonstream / three hops of plain clients: the ceiling of this architecture)%n",
                pipeline.eventsPerSecond() / hops.eventsPerSecond());
        System.out.printf("CPU ratio      %10.2f  (CPU per event: the three services / the three plain clients)%n",
                services / relays);
        System.out.println("RSS            " + processes.phase() + "  (largest sampled during the run)");

        double half = pipeline.eventsPerSecond() / 2;
        int latencyEvents = (int) Math.max(2000, Math.min(events, half * 20));
        String lat = UUID.randomUUID().toString().substring(0, 8);
        Percentiles p = PipelineRun.latency(bootstrap, lat, latencyEvents, jobs, half);
        System.out.printf("latency        p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms  (%d events at %,.0f events/s, half the rate above:"
                + " batch sent to its footprint read committed)%n", p.at(0.5), p.at(0.99), p.max(), latencyEvents, half);
        System.out.println("RSS            " + processes.phase());

        if (opts.containsKey("trainer") && opts.containsKey("keys")) {
            ReportClient http = new ReportClient(opts.get("trainer"), Path.of(opts.get("keys")));
            String hr = UUID.randomUUID().toString().substring(0, 8);
            int httpJobs = Math.min(jobs, 100);
            double ingest = http.ingest(bootstrap, hr, events, httpJobs);
            try {
                double plain = KafkaCeilings.produceOnly(bootstrap, "bench.produce." + hr, partitions,
                        BenchKafka.batches(hr, events, httpJobs));
                System.out.printf("plain producer %,10.0f events/s  (the same number of batch events, acks=all, to a fresh topic)%n",
                        plain);
                System.out.printf("ratio          %10.3f  (HTTP ingest / plain producer)%n", ingest / plain);
            } catch (IllegalStateException e) {
                // seen once on 2 cores right after the HTTP phase: the broker answered a retried batch of the
                // idempotent producer with OUT_OF_ORDER_SEQUENCE_NUMBER; the figures after it still count
                System.out.println("plain producer failed: " + e.getMessage());
            }
            System.out.println("RSS            " + processes.phase());
            Percentiles small = http.postsOfTen(hr, 300);
            System.out.printf("POST of 10     p50 %.1f ms, p90 %.1f ms, p99 %.1f ms  (300 requests one after another, each waits for its 202)%n",
                    small.at(0.5), small.at(0.9), small.at(0.99));
        } else {
            System.out.println("HTTP           skipped (no --trainer URL and --keys directory)");
        }
    }

    /** The fractions of the measured throughput {@code bench latency} paces its runs at. */
    static final double[] LOAD = {0.125, 0.25, 0.5};

    /**
     * Latency against load: the pipeline's throughput once, then batches paced at each of {@link #LOAD} of it for
     * 20 s, each with its percentiles, its share over 500 ms, the CPU per event of the stack's processes at that
     * rate, and the worst latency of each 2 s of the schedule (growing: the pipeline falls behind; spikes: stalls).
     */
    static void latencyCurve(String bootstrap, int events, int jobs, ProcessSampler processes) throws Exception {
        System.out.printf("carbonstream bench, latency: throughput over %d batch events (%d jobs), then %s of it%n",
                events, jobs, java.util.Arrays.toString(LOAD));
        processes.phase();
        KafkaCeilings.Measured m = PipelineRun.throughput(bootstrap, UUID.randomUUID().toString().substring(0, 8),
                events, jobs, 0, processes);
        System.out.printf("carbonstream   %,10.0f events/s; CPU/event %s%n", m.eventsPerSecond(), ProcessSampler.format(m.cpuPerEvent()));
        for (double load : LOAD) {
            double rate = m.eventsPerSecond() * load;
            paced(bootstrap, String.format("at %5.3f   ", load), rate, (int) Math.max(2000, rate * 20), jobs, processes);
        }
    }

    /** Latency of one steady stream at a rate given, with no throughput phase: how a steady stream costs. */
    static void steady(String bootstrap, double rate, int seconds, int jobs, ProcessSampler processes) throws Exception {
        System.out.printf("carbonstream bench, steady: %,.0f events/s for %d s over %d jobs%n", rate, seconds, jobs);
        paced(bootstrap, "steady      ", rate, (int) Math.max(jobs, rate * seconds), jobs, processes);
    }

    /**
     * Sends {@code n} batch events on a steady schedule at {@code rate} and prints their latency from send to
     * footprint, the CPU per event of the stack's processes in that time, and the worst latency of each 2 s.
     */
    static void paced(String bootstrap, String label, double rate, int n, int jobs, ProcessSampler processes) throws Exception {
        processes.phase();
        long started = System.nanoTime();
        ProcessSampler.Cpu spent = processes.cpu(Bench::stackProcess);
        List<PipelineRun.Latency> l = PipelineRun.latencies(bootstrap, UUID.randomUUID().toString().substring(0, 8), n, jobs, rate);
        Map<String, Double> cpu = spent.perEvent(n);
        Percentiles p = Percentiles.of(l.stream().map(PipelineRun.Latency::millis).toList());
        long over = l.stream().filter(x -> x.millis() > 500).count();
        System.out.printf("%s   %,7.0f events/s: p50 %,.0f ms, p90 %,.0f ms, p99 %,.0f ms, max %,.0f ms; %.1f %% over 500 ms"
                        + " (%d events, %.0f s)%n", label, rate, p.at(0.5), p.at(0.9), p.at(0.99), p.max(), 100.0 * over / n, n,
                (System.nanoTime() - started) / 1e9);
        System.out.printf("               CPU/event %s; the three services %,.1f us%n", ProcessSampler.format(cpu),
                ProcessSampler.sum(cpu, Bench::isService));
        System.out.println("               worst per 2 s (ms): " + worstPer(l, 2));
    }

    /** The largest latency of the batches due in each {@code seconds} of a paced run, in the order of the schedule. */
    static String worstPer(List<PipelineRun.Latency> latencies, double seconds) {
        java.util.TreeMap<Long, Double> worst = new java.util.TreeMap<>();
        for (PipelineRun.Latency l : latencies) {
            worst.merge((long) Math.floor(l.dueSeconds() / seconds), l.millis(), Math::max);
        }
        StringBuilder b = new StringBuilder();
        worst.values().forEach(v -> b.append(b.isEmpty() ? "" : " ").append(Math.round(v)));
        return b.toString();
    }

    /** How cost grows with the number of concurrent jobs: the same events over 1, 100 and 10,000 jobs. */
    static void scale(String bootstrap, int events, ProcessSampler processes) throws Exception {
        System.out.printf("carbonstream bench, scale: %d batch events over 1, 100 and 10,000 concurrent jobs%n", events);
        for (int jobs : new int[] {1, 100, 10_000}) {
            if (events < jobs) {
                continue;
            }
            processes.phase();
            String run = UUID.randomUUID().toString().substring(0, 8);
            KafkaCeilings.Measured m = PipelineRun.throughput(bootstrap, run, events, jobs, 0, processes);
            System.out.printf("%,7d jobs   %,10.0f events/s   services %,.1f us CPU/event   RSS %s%n", jobs, m.eventsPerSecond(),
                    ProcessSampler.sum(m.cpuPerEvent(), Bench::isService), processes.phase());
        }
    }

    /** One long run (a million batches, say): throughput and memory at every tenth of it, which must stay flat. */
    static void soak(String bootstrap, int events, int jobs, ProcessSampler processes, Map<String, String> opts) throws Exception {
        System.out.printf("carbonstream bench, soak: %,d batch events over %d jobs, figures every %,d%n", events, jobs, events / 10);
        processes.phase();
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaCeilings.Measured m = PipelineRun.throughput(bootstrap, run, events, jobs, events / 10, processes);
        System.out.printf("soak           %,10.0f events/s over the whole run; CPU/event %s%n", m.eventsPerSecond(),
                ProcessSampler.format(m.cpuPerEvent()));
        if (opts.containsKey("carbon")) {
            System.out.println("retention      " + metric(opts.get("carbon"), "carbonstream_carbon_retention_deleted_total")
                    + " event ids forgotten by carbon-service (RETENTION_HORIZON of the stack)");
        }
    }

    /** How long footprints stay behind a kill -9 of each stream service: restarted at once, and taken over. */
    static void recovery(String bootstrap, int jobs, Map<String, String> opts) throws Exception {
        if (!opts.containsKey("launcher")) {
            throw new IllegalArgumentException("recovery needs --launcher (deploy/local/carbonstream) to kill and start instances");
        }
        double rate = Double.parseDouble(opts.getOrDefault("rate", "200"));
        System.out.printf("carbonstream bench, recovery: %,.0f events/s over %d jobs; current = every batch sent more than"
                + " %d ms before is counted on %s%n", rate, jobs, Recovery.CURRENT.toMillis(), "carbon.footprint");
        Recovery.all(bootstrap, Path.of(opts.get("launcher")), jobs, rate);
    }

    static String metric(String base, String name) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = body.lines().filter(l -> l.startsWith(name))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            return String.format("%,.0f", sum);
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
    }
}
