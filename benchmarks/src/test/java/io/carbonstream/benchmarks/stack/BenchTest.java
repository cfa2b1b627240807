package io.carbonstream.benchmarks.stack;

import io.carbonstream.local.Infrastructure;
import io.carbonstream.testing.TestInfrastructure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark fails a phase that stops making progress, its raw-Kafka phase reads back every record, its three
 * hops run in JVMs of their own whose CPU it counts, and it reads a process's CPU time as the kernel counts it.
 */
class BenchTest {

    @Test
    void aPhaseWithoutProgressFailsNamingThePhaseAndWhatItHadDone() throws Exception {
        Watchdog watchdog = new Watchdog("raw Kafka", Duration.ofMillis(200));
        watchdog.progress(10, "10 of 50 read");
        Thread.sleep(100);
        watchdog.progress(20, "20 of 50 read"); // progress: the clock starts again
        Thread.sleep(150);
        assertDoesNotThrow(() -> watchdog.progress(20, "20 of 50 read"));
        Thread.sleep(100);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> watchdog.progress(20, "20 of 50 read"));
        assertEquals("raw Kafka: no progress for 0 s: 20 of 50 read", e.getMessage());
    }

    @Test
    void rawKafkaReadsBackEveryRecordOfATopicCreatedAMomentBefore() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        for (int run = 0; run < 3; run++) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            double rate = KafkaCeilings.rawKafka(infra.kafka().bootstrapServers(), "bench.raw." + id, 3,
                    BenchKafka.batches(id, 3000, 10));
            assertTrue(rate > 0, "events/s " + rate);
        }
    }

    @Test
    void threeHopsCarryTheWarmUpAndThenEveryRecordThroughThreeRelayJvmsAndCountTheirCpu() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (ProcessSampler processes = new ProcessSampler(null)) {
            KafkaCeilings.Measured m = KafkaCeilings.threeHops(infra.kafka().bootstrapServers(), "bench.hop." + id, 3,
                    BenchKafka.batches(id + "w", 500, 10), BenchKafka.batches(id, 3000, 10), processes);
            assertTrue(m.eventsPerSecond() > 0, "events/s " + m.eventsPerSecond());
            assertEquals(List.of("relay-0", "relay-1", "relay-2"), List.copyOf(m.cpuPerEvent().keySet()));
            // each relay consumed, produced and committed 3000 records: that takes CPU, and not a second of it per record
            m.cpuPerEvent().forEach((relay, us) -> assertTrue(us > 0 && us < 1_000_000, relay + " " + us + " us/event"));
            assertEquals("(no processes found: give --run-dir)", processes.phase(), "the relays are forgotten once stopped");
        }
    }

    @Test
    void aStaticMemberHoldsActiveTasksOnlyWhileItHasPartitionsOfTheInput() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String input = "bench.active." + id + ".input";
        String other = "bench.active." + id + ".other";
        String group = "bench-active-" + id;
        BenchKafka.createTopics(infra.kafka().bootstrapServers(), List.of(input, other), 1);
        try (var first = member(infra, group, "svc-1"); var second = member(infra, group, "svc-2-1");
             var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                     org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers()))) {
            first.subscribe(List.of(input, other));
            second.subscribe(List.of(input, other));
            long deadline = System.nanoTime() + 60_000_000_000L;
            // two topics of one partition, two members, round robin: once both have joined, each holds one partition
            do {
                assertTrue(System.nanoTime() < deadline, "the group did not settle");
                first.poll(Duration.ofMillis(100));
                second.poll(Duration.ofMillis(100));
            } while (first.assignment().size() != 1 || second.assignment().size() != 1 || !settled(admin, group));
            boolean secondReads = second.assignment().iterator().next().topic().equals(input);
            assertEquals(secondReads, Recovery.holdsActiveTasks(admin, group, "svc-2", input));
            assertEquals(!secondReads, Recovery.holdsActiveTasks(admin, group, "svc-2", other));
            assertEquals(!secondReads, Recovery.holdsActiveTasks(admin, group, "svc", input), "svc-2-1 is not a thread of svc");
            assertEquals(false, Recovery.holdsActiveTasks(admin, group, "svc-3", input), "not a member");
        }
        assertEquals("carbonstream-carbon", Recovery.groupOf("carbon-2"));
        assertEquals("telemetry.energy", Recovery.inputOf("carbon-2"));
        assertEquals("training.batches", Recovery.inputOf("telemetry"));
        assertEquals("carbonstream-telemetry", Recovery.groupOf("telemetry"));
    }

    /** Both members joined and the group is stable: each member's assignment as the broker has it is final. */
    static boolean settled(org.apache.kafka.clients.admin.Admin admin, String group) throws Exception {
        var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        return description.members().size() == 2 && description.groupState() == org.apache.kafka.common.GroupState.STABLE;
    }

    static org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> member(Infrastructure infra, String group, String instance) {
        return new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, group,
                org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance,
                org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                org.apache.kafka.clients.consumer.ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.RoundRobinAssignor.class.getName()),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    /** {@code bench steady} refuses a rate or a duration that is not a whole number in its range, before it starts anything. */
    @Test
    void steadyRefusesARateOrDurationThatIsNoWholeNumberInItsRangeBeforeStartingAnything() throws Exception {
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("bench-steady");
        for (List<String> args : List.of(List.of("0"), List.of("abc"), List.of("250", "0"), List.of("250", "-3"),
                List.of("1e3"), List.of("250", "30s"), List.of("99999999999999999999"), List.of("0250"))) {
            List<String> command = new java.util.ArrayList<>(List.of("bash", "../deploy/local/carbonstream", "bench", "steady"));
            command.addAll(args);
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            b.environment().put("CARBONSTREAM_HOME", home.toString());
            Process p = b.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "bench steady " + args + " did not end");
            assertEquals(1, p.exitValue(), "bench steady " + args + ": " + out);
            assertEquals("carbonstream: bench steady takes EVENTS/S (1 to 9999999) and SECONDS (1 to 999999), whole numbers\n", out,
                    "bench steady " + args);
        }
        try (var left = java.nio.file.Files.list(home.resolve("run"))) {
            assertEquals(List.of(), left.toList(), "nothing was started");
        } catch (java.nio.file.NoSuchFileException e) {
            // not even the run directory was made
        }
    }

    @Test
    void theLatencyCurveKeepsTheWorstBatchOfEachWindowOfTheScheduleInOrder() {
        List<PipelineRun.Latency> counted = List.of(new PipelineRun.Latency(4.5, 900), new PipelineRun.Latency(0.1, 120),
                new PipelineRun.Latency(1.9, 480.4), new PipelineRun.Latency(2.0, 130), new PipelineRun.Latency(0.0, 110.6),
                new PipelineRun.Latency(5.99, 1000));
        // windows [0, 2): 120, 480.4, 110.6; [2, 4): 130; [4, 6): 900, 1000
        assertEquals("480 130 1000", Bench.worstPer(counted, 2));
    }

    @Test
    void cpuTimeOfAProcessIsReadFromProcStatAndGrowsWithWork() {
        long pid = ProcessHandle.current().pid();
        long before = ProcessSampler.cpuNanos(pid);
        long sum = 0;
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until) {
            sum += Long.numberOfTrailingZeros(System.nanoTime());
        }
        long after = ProcessSampler.cpuNanos(pid);
        assertTrue(sum >= 0);
        assertTrue(before > 0, "CPU so far " + before);
        // 300 ms of a busy thread, counted in clock ticks of 1/TICKS_PER_SECOND s
        assertTrue(after - before >= 200_000_000L, "CPU of 300 ms of work: " + (after - before) + " ns");
        assertEquals(-1, ProcessSampler.cpuNanos(Long.MAX_VALUE), "no such process");
    }

    @Test
    void perEventCpuIsNamedSummedAndFormatted() {
        Map<String, Double> cpu = new java.util.LinkedHashMap<>();
        cpu.put("broker", 40.0);
        cpu.put("carbon", 150.25);
        cpu.put("telemetry", 100.0);
        cpu.put("trainer", 0.5);
        assertEquals(250.75, ProcessSampler.sum(cpu, Bench::isService));
        assertEquals(290.75, ProcessSampler.sum(cpu, Bench::stackProcess));
        assertEquals("broker 40.0 us, carbon 150.3 us, telemetry 100.0 us, trainer 0.5 us", ProcessSampler.format(cpu));
    }
}
