package io.carbonstream.benchmarks.stack;

import io.carbonstream.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long footprints stay behind when a stream service crashes: a steady load of batch events, a {@code kill -9}
 * of one instance through the launcher, and the time until footprints are current again, meaning every batch sent
 * more than {@link #CURRENT} before is counted on {@code carbon.footprint} (read committed).
 * <ul>
 *   <li>{@link #restart}: the instance is started again at once, as a kubelet restarts a crashed container;</li>
 *   <li>{@link #takeover}: a second instance runs beside it and the killed one does not come back, so the survivor
 *       must take over its partitions; the same with a graceful stop, as a scale-down ends a pod.</li>
 * </ul>
 */
final class Recovery {

    /**
     * A footprint this far behind its batch's send counts as current: the two services' commit intervals many
     * times over, and above the p99 latency the local stack shows at a steady load on 2 cores (about 1 s).
     */
    static final Duration CURRENT = Duration.ofSeconds(2);
    /** How long a measurement waits for footprints to be current again before it fails. */
    static final Duration GIVE_UP = Duration.ofMinutes(3);
    /**
     * How long a takeover waits, after its settle time, for the second instance to hold active tasks. Kafka Streams
     * gives a new instance its first active task only at a probing rebalance once its standby has caught up
     * ({@code probing.rebalance.interval.ms}, 10 min by default; {@code bench recovery} starts its instances with
     * {@code PROBING_REBALANCE_MS}, 60 s, the least Kafka Streams accepts, unless set): killing an instance that holds
     * only standbys measures nothing. Long enough for two probing rebalances at that interval.
     */
    static final Duration AWAIT_ACTIVE = Duration.ofSeconds(150);

    private final String bootstrap;
    private final Path launcher;
    private final int jobs;
    private final double rate;

    /** One measurement: the kill (or stop), the instance ready again (restart only), and footprints current again. */
    record Outage(String instance, String how, String stop, double readySeconds, double currentSeconds, double maxLagSeconds) {
        /** A takeover not measured: the instance held no active task in time, so its end would take nothing over. */
        static Outage notMeasured(String instance, String stop, String why) {
            return new Outage(instance, why, stop, -1, Double.NaN, Double.NaN);
        }

        boolean measured() {
            return !Double.isNaN(currentSeconds);
        }

        String line() {
            if (!measured()) {
                return String.format(java.util.Locale.ROOT, "recovery       %s, %s: not measured: %s", instance,
                        stop.equals("kill") ? "kill -9" : "stop", how);
            }
            return String.format(java.util.Locale.ROOT, "recovery       %s, %s: footprints current %.1f s after the %s%s"
                            + " (largest lag %.1f s)", instance, how, currentSeconds, stop.equals("kill") ? "kill -9" : "stop",
                    readySeconds < 0 ? "" : String.format(java.util.Locale.ROOT, ", instance ready after %.1f s", readySeconds),
                    maxLagSeconds);
        }
    }

    Recovery(String bootstrap, Path launcher, int jobs, double rate) {
        this.bootstrap = bootstrap;
        this.launcher = launcher;
        this.jobs = jobs;
        this.rate = rate;
    }

    /** Kills {@code instance} under load and starts it again at once. */
    Outage restart(String instance) throws Exception {
        return measure(instance, "restarted at once", "kill", true, Duration.ofSeconds(10));
    }

    /**
     * Starts {@code second} beside the running instances, lets the group settle, then ends it with {@code stop}
     * ({@code kill}: SIGKILL, {@code stop}: SIGTERM, as a scale-down) and leaves it ended.
     */
    Outage takeover(String second, String stop, Duration settle) throws Exception {
        launcher("start", second);
        return measure(second, "not restarted (the other instance takes over)", stop, false, settle);
    }

    /** The Kafka Streams application (consumer group) of an instance of the launcher: carbon-2 is carbonstream-carbon's. */
    static String groupOf(String instance) {
        return "carbonstream-" + instance.replaceFirst("-[0-9]+$", "");
    }

    /**
     * The topic an instance's footprint work reads: carbon-service's footprints come from {@code telemetry.energy},
     * telemetry-service's energy from {@code training.batches}. An instance may hold active tasks of its other
     * sub-topologies only (carbon-service's budget alerts, say); killing it then leaves footprints current and
     * measures no takeover.
     */
    static String inputOf(String instance) {
        return groupOf(instance).equals("carbonstream-telemetry") ? Topics.TRAINING_BATCHES : Topics.TELEMETRY_ENERGY;
    }

    /**
     * Whether {@code instance} holds active tasks that read {@code input}: a member of its group has partitions of
     * it assigned (standby tasks have none). A static member is known by its {@code group.instance.id}, the
     * instance's name and its stream thread's number ({@code carbon-2-1}); with dynamic members
     * (STATIC_MEMBERSHIP=0), every member must hold some.
     */
    static boolean holdsActiveTasks(org.apache.kafka.clients.admin.Admin admin, String group, String instance, String input)
            throws Exception {
        var members = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members();
        String member = java.util.regex.Pattern.quote(instance) + "-[0-9]+";
        java.util.function.Predicate<org.apache.kafka.clients.admin.MemberDescription> reads =
                m -> m.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(input));
        if (members.stream().anyMatch(m -> m.groupInstanceId().isPresent())) {
            return members.stream().anyMatch(m -> m.groupInstanceId().map(id -> id.matches(member)).orElse(false)
                    && reads.test(m));
        }
        return members.size() >= 2 && members.stream().allMatch(reads);
    }

    /**
     * Sends {@link #rate} events/s over {@link #jobs} jobs; after {@code settle}, kills the instance (and starts it
     * again when {@code restart}); keeps sending until footprints have been current for 5 s after the outage.
     */
    private Outage measure(String instance, String how, String stopCommand, boolean restart, Duration settle) throws Exception {
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        String prefix = "bench-" + run + "-";
        // enough batches for the settle time, the wait for active tasks, a minute's wait for current footprints, the outage and 10 s after it
        int perJob = (int) Math.ceil(rate * (settle.toSeconds() + (restart ? 0 : AWAIT_ACTIVE.toSeconds()) + 60
                + GIVE_UP.toSeconds() + 10) / jobs);
        long[][] sentAt = new long[jobs][perJob];
        int[] sent = new int[jobs];
        try (KafkaConsumer<String, byte[]> footprints = BenchKafka.consumer(bootstrap, "read_committed");
             KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap);
             org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                     java.util.Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            BenchKafka.fromEnd(footprints, Topics.CARBON_FOOTPRINT);
            Sends sends = new Sends("recovery");
            PipelineRun.Progress progress = new PipelineRun.Progress(prefix, perJob);
            long start = System.nanoTime();
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread sender = new Thread(() -> {
                for (int i = 0; i < jobs * perJob && !stop.get(); i++) {
                    PipelineRun.awaitTurn(start, i, rate);
                    int job = i % jobs;
                    synchronized (sentAt) {
                        sentAt[job][i / jobs] = System.nanoTime();
                        sent[job] = i / jobs + 1;
                    }
                    ProducerRecord<String, byte[]> r = BenchKafka.batch(run, i, jobs);
                    producer.send(r, sends);
                }
            }, "bench-recovery-producer");
            sender.setDaemon(true);
            sender.start();
            long killAt = start + settle.toNanos();
            Long killed = null;
            CompletableFuture<Double> ready = null;
            Long behind = null;
            double maxLag = 0;
            Long current = null;
            // a restarted instance is measured however it is assigned; a takeover only once the instance holds work
            boolean active = restart;
            long checkedAt = 0;
            try {
                while (true) {
                    for (ConsumerRecord<String, byte[]> r : footprints.poll(Duration.ofMillis(20))) {
                        progress.take(r);
                    }
                    sends.check();
                    long now = System.nanoTime();
                    double lag = lag(now, sentAt, sent, progress, prefix) / 1e9;
                    if (killed == null) {
                        if (!active && now >= killAt && now - checkedAt > 1_000_000_000L) {
                            checkedAt = now;
                            active = holdsActiveTasks(admin, groupOf(instance), instance, inputOf(instance));
                            if (!active && now >= killAt + AWAIT_ACTIVE.toNanos()) {
                                launcher(stopCommand, instance);
                                return Outage.notMeasured(instance, stopCommand, "it held no active task reading " + inputOf(instance) + " "
                                        + (settle.toSeconds() + AWAIT_ACTIVE.toSeconds()) + " s after it started (only"
                                        + " standbys: Kafka Streams moves work to a new instance at a probing rebalance;"
                                        + " give PROBING_REBALANCE_MS=60000, its least)");
                            }
                        }
                        // the kill comes once the settle time is over, the instance holds work and footprints are current
                        if (active && now >= killAt && lag <= CURRENT.toNanos() / 1e9) {
                            killed = System.nanoTime(); // from before the launcher runs: the outage is not understated
                            launcher(stopCommand, instance);
                            if (restart) {
                                long k = killed;
                                ready = CompletableFuture.supplyAsync(() -> {
                                    launcher("start", instance);
                                    return (System.nanoTime() - k) / 1e9;
                                });
                            }
                        } else if (active && now >= killAt + 60_000_000_000L && lag > CURRENT.toNanos() / 1e9) {
                            throw new IllegalStateException("recovery: footprints still " + lag + " s behind 60 s after"
                                    + " the settle time, before any kill: the stack cannot carry " + rate
                                    + " events/s; give a lower BENCH_RATE");
                        }
                        continue;
                    }
                    maxLag = Math.max(maxLag, lag);
                    if (behind == null && lag > CURRENT.toNanos() / 1e9) {
                        behind = now;
                    }
                    boolean caughtUp = lag <= CURRENT.toNanos() / 1e9;
                    if (caughtUp && current == null && (behind != null || now - killed > 5_000_000_000L)) {
                        current = behind == null ? killed : now; // never behind: no outage seen
                    } else if (!caughtUp) {
                        current = null;
                    }
                    if (current != null && now - current > 5_000_000_000L && (ready == null || ready.isDone())) {
                        break;
                    }
                    if (now - killed > GIVE_UP.toNanos()) {
                        throw new IllegalStateException("recovery: footprints of " + instance + "'s kill still " + lag
                                + " s behind after " + GIVE_UP.toSeconds() + " s");
                    }
                }
            } finally {
                stop.set(true);
                sender.join(10_000);
            }
            double readySeconds = ready == null ? -1 : ready.get(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
            return new Outage(instance, how, stopCommand, readySeconds, (current - killed) / 1e9, maxLag);
        }
    }

    /** How far behind its oldest uncounted batch the footprints are at {@code now}, in ns (0: all counted). */
    private long lag(long now, long[][] sentAt, int[] sent, PipelineRun.Progress progress, String prefix) {
        long oldest = Long.MAX_VALUE;
        synchronized (sentAt) {
            for (int j = 0; j < sent.length; j++) {
                long counted = progress.counted.getOrDefault(prefix + j, 0L);
                if (counted < sent[j]) {
                    oldest = Math.min(oldest, sentAt[j][(int) counted]);
                }
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : now - oldest;
    }

    private void launcher(String command, String instance) {
        try {
            Process p = new ProcessBuilder(launcher.toString(), command, instance).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(GIVE_UP.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("recovery: '" + launcher.getFileName() + " " + command + " " + instance
                        + "' failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("recovery: cannot run " + launcher + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every measurement of {@code bench recovery}: a restart of each stream service, then a takeover of each. */
    static List<Outage> all(String bootstrap, Path launcher, int jobs, double rate) throws Exception {
        Recovery r = new Recovery(bootstrap, launcher, jobs, rate);
        List<Outage> outages = new ArrayList<>();
        for (String service : List.of("carbon", "telemetry")) {
            Outage o = r.restart(service);
            System.out.println(o.line());
            outages.add(o);
        }
        // long enough for the group to give the second instance its share and for its standby to catch up
        Duration settle = Duration.ofSeconds(30);
        for (String service : List.of("carbon", "telemetry")) {
            Outage o = r.takeover(service + "-2", "kill", settle);
            System.out.println(o.line());
            outages.add(o);
        }
        Outage scaledDown = r.takeover("carbon-2", "stop", settle);
        System.out.println(scaledDown.line());
        outages.add(scaledDown);
        return outages;
    }
}
