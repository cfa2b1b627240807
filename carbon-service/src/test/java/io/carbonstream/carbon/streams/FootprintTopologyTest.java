package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.JobEvent;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.carbonstream.carbon.Fixtures.intensity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The topology without a broker: temporal join, exactly-once counting and dead letters. */
class FootprintTopologyTest {

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TestInputTopic<String, byte[]> energyIn;
    TestInputTopic<String, byte[]> intensityIn;
    TestOutputTopic<String, byte[]> footprintOut;
    TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        TopologyProducer producer = new TopologyProducer() {
            @Override
            java.util.function.Supplier<io.carbonstream.carbon.grid.DatacenterCatalog> datacenters() {
                var fixed = io.carbonstream.carbon.grid.DatacenterCatalog.of(StaticTables.bundled());
                return () -> fixed;
            }
        };
        producer.registry = registry;
        // one entry per sweep: the walk resumes where it stopped
        producer.retention = io.carbonstream.streams.RetentionConfig.of(java.time.Duration.ofHours(24), 1);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "carbon-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(producer.buildTopology(StaticTables.bundled()), props);
        energyIn = driver.createInputTopic(Topics.TELEMETRY_ENERGY, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        intensityIn = driver.createInputTopic(Topics.GRID_INTENSITY, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        footprintOut = driver.createOutputTopic(Topics.CARBON_FOOTPRINT, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(Topics.deadLetterOf(Topics.TELEMETRY_ENERGY), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void send(EnergyEvent e) {
        energyIn.pipeInput(e.jobId(), EventJson.encode(e));
    }

    FootprintEvent lastFootprint() {
        List<byte[]> values = footprintOut.readValuesToList();
        return EventJson.decode(values.get(values.size() - 1), FootprintEvent.class);
    }

    @Test
    void eachBatchIsChargedTheIntensityValidAtItsOwnTimeNotTheLatest() {
        // NL: 400 g/kWh from 12:00 to 13:00, then 100 g/kWh from 13:00 on (gcp-europe-west4: NL, PUE 1.07)
        intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON, NOON.plusSeconds(3600), "400")));
        intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON.plusSeconds(3600), null, "100")));

        // arrives last but happened in the first hour: charged 400, not the latest 100
        send(energy("job-1", UUID.randomUUID(), Phase.PRETRAIN, 3700, "3960.000", "gcp-europe-west4"));
        FootprintEvent afterLate = lastFootprint();
        // 4237.2 J x 100 / 3.6e6 = 0.1177 g
        assertEquals(new BigDecimal("0.117700000"), afterLate.operationalGCo2e());

        send(energy("job-1", UUID.randomUUID(), Phase.PRETRAIN, 60, "3960.000", "gcp-europe-west4"));
        FootprintEvent f = lastFootprint();
        // + 4237.2 J x 400 / 3.6e6 = 0.4708 g
        assertEquals(new BigDecimal("0.588500000"), f.operationalGCo2e());
        assertEquals(new BigDecimal("400"), f.lastIntensity().gCo2ePerKWh());
        assertEquals(GridIntensityEvent.Source.MANUAL, f.lastIntensity().source());
        assertEquals(NOON, f.lastIntensity().validFrom());
    }

    @Test
    void withoutAnObservationTheZonesCitedAnnualAverageIsAppliedAndLabelled() {
        // before any observation covers it: NL static 569 g/kWh
        intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON, NOON.plusSeconds(3600), "400")));
        send(energy("job-2", UUID.randomUUID(), Phase.PRETRAIN, -600, "3960.000", "gcp-europe-west4"));
        FootprintEvent f = lastFootprint();
        assertEquals(new BigDecimal("0.669713000"), f.operationalGCo2e());
        assertEquals(GridIntensityEvent.Source.STATIC_TABLE, f.lastIntensity().source());
        assertNull(f.lastIntensity().validFrom());
        assertEquals(new BigDecimal("1.07"), f.lastIntensity().pue());
    }

    @Test
    void aBatchDeliveredTwiceIsCountedOnce() {
        EnergyEvent e = energy("job-3", UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "gcp-europe-west4");
        send(e);
        send(e);
        send(energy("job-3", UUID.randomUUID(), Phase.PRETRAIN, 2, "1000.000", "gcp-europe-west4"));
        List<byte[]> values = footprintOut.readValuesToList();
        assertEquals(2, values.size(), "the duplicate produced no update");
        FootprintEvent f = EventJson.decode(values.get(1), FootprintEvent.class);
        assertEquals(2, f.batches());
        assertEquals(new BigDecimal("4960.000000"), f.itEnergyJoules().total());
    }

    @Test
    void anEventIdIsRememberedForTheRetentionHorizonAfterItWasCountedThenForgotten() {
        org.apache.kafka.streams.state.KeyValueStore<String, Long> seen =
                driver.getKeyValueStore(io.carbonstream.carbon.query.StoreNames.SEEN_STORE);
        EnergyEvent e = energy("job-4", UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "gcp-europe-west4");
        send(e);
        send(energy("job-4", UUID.randomUUID(), Phase.PRETRAIN, 2, "1000.000", "gcp-europe-west4"));
        assertEquals(2, footprintOut.readValuesToList().size());

        driver.advanceWallClockTime(java.time.Duration.ofHours(23));
        assertEquals(2, count(seen), "within the 24 h horizon both are remembered");
        send(e);
        assertTrue(footprintOut.isEmpty(), "a redelivery 23 h later is still a duplicate");

        driver.advanceWallClockTime(java.time.Duration.ofHours(2));
        assertEquals(1, count(seen), "25 h after they were counted: one sweep reads (and forgets) one entry");
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertEquals(0, count(seen), "the next sweep goes on from there");
        assertEquals(2.0, registry.counter("carbonstream.carbon.retention.deleted").count());
        // what docs/reliability.md says a duplicate older than the horizon does: it is counted again
        send(e);
        assertEquals(3, lastFootprint().batches());
    }

    static long count(org.apache.kafka.streams.state.KeyValueStore<String, Long> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void theJobsDescriptionNamesTheFootprintAndProjectsItToTheDeclaredEnd() {
        TestInputTopic<String, byte[]> jobsIn = driver.createInputTopic(Topics.TRAINING_JOBS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        JobEvent running = new JobEvent(1, "job-5", "tenant-a", "bert finetune", "bert-base", 110_000_000L, Phase.FINETUNE,
                "test-gpu", 8, 2, "gcp-europe-west4", 4L, null, "RUNNING", NOON, null);
        jobsIn.pipeInput("job-5", EventJson.encode(running));
        send(energy("job-5", UUID.randomUUID(), Phase.FINETUNE, 0, "3960.000", "gcp-europe-west4"));
        send(energy("job-5", UUID.randomUUID(), Phase.FINETUNE, 10, "3960.000", "gcp-europe-west4"));
        FootprintEvent f = lastFootprint();
        assertEquals("bert-base", f.model());
        assertEquals("RUNNING", f.jobState());
        // 2 of 4 steps x 2 workers done: a quarter; 2 x 0.669713 g so far -> 5.357704 g at the end
        assertEquals(new BigDecimal("0.250000000"), f.projection().shareDone());
        assertEquals("steps", f.projection().basis());
        assertEquals(new BigDecimal("5.357704000"), f.projection().operationalGCo2e());
        assertEquals(0, new BigDecimal("31680").compareTo(f.projection().itEnergyJoules()));

        jobsIn.pipeInput("job-5", EventJson.encode(new JobEvent(1, "job-5", "tenant-a", "bert finetune", "bert-base",
                110_000_000L, Phase.FINETUNE, "test-gpu", 8, 2, "gcp-europe-west4", 4L, null, "FINISHED", NOON, NOON.plusSeconds(60))));
        FootprintEvent finished = lastFootprint();
        assertEquals("FINISHED", finished.jobState());
        assertEquals(f.operationalGCo2e(), finished.operationalGCo2e(), "a state change adds nothing");
        assertEquals(2, finished.batches());
    }

    /**
     * Every footprint record says its job's state in {@link Topics#JOB_STATE_HEADER}, the header the archive passes
     * running jobs' updates by with; a header of that name on the record that caused it is replaced, the others kept.
     */
    @Test
    void everyFootprintRecordSaysItsJobsStateInAHeaderNoInputCanSet() {
        TestInputTopic<String, byte[]> jobsIn = driver.createInputTopic(Topics.TRAINING_JOBS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        var forged = new org.apache.kafka.common.header.internals.RecordHeaders();
        forged.add(Topics.JOB_STATE_HEADER, "FINISHED".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        forged.add("traceparent", "00-abc-def-01".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        EnergyEvent first = energy("job-h", UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "gcp-europe-west4");
        energyIn.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(first.jobId(), EventJson.encode(first), forged));
        var unknown = footprintOut.readRecord();
        assertEquals("", state(unknown), "no record of the job yet: the state is not known, whatever the input said");
        assertEquals("00-abc-def-01", new String(unknown.headers().lastHeader("traceparent").value(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1, count(unknown.headers(), Topics.JOB_STATE_HEADER));

        JobEvent running = new JobEvent(1, "job-h", "tenant-a", "header", "bert-base", null, Phase.PRETRAIN,
                "test-gpu", 8, 1, "gcp-europe-west4", null, null, "RUNNING", NOON, null);
        jobsIn.pipeInput("job-h", EventJson.encode(running));
        assertEquals("RUNNING", state(footprintOut.readRecord()), "the job's state changed: its footprint again");

        EnergyEvent second = energy("job-h", UUID.randomUUID(), Phase.PRETRAIN, 10, "1000.000", "gcp-europe-west4");
        energyIn.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(second.jobId(), EventJson.encode(second), forged));
        var update = footprintOut.readRecord();
        assertEquals("RUNNING", state(update));
        assertEquals(1, count(update.headers(), Topics.JOB_STATE_HEADER));
        assertEquals("RUNNING", EventJson.decode(update.value(), FootprintEvent.class).jobState());

        jobsIn.pipeInput("job-h", EventJson.encode(new JobEvent(1, "job-h", "tenant-a", "header", "bert-base", null,
                Phase.PRETRAIN, "test-gpu", 8, 1, "gcp-europe-west4", null, null, "FAILED", NOON, NOON.plusSeconds(60))));
        var failed = footprintOut.readRecord();
        assertEquals("FAILED", state(failed));
        assertEquals("FAILED", EventJson.decode(failed.value(), FootprintEvent.class).jobState());
        assertTrue(footprintOut.isEmpty());
    }

    static String state(org.apache.kafka.streams.test.TestRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(Topics.JOB_STATE_HEADER);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static int count(org.apache.kafka.common.header.Headers headers, String name) {
        int n = 0;
        for (var ignored : headers.headers(name)) {
            n++;
        }
        return n;
    }

    @Test
    void rollupsSumEveryJobOfATenantAndOfAModelExactly() {
        TestInputTopic<String, byte[]> jobsIn = driver.createInputTopic(Topics.TRAINING_JOBS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        TestOutputTopic<String, byte[]> rollupsOut = driver.createOutputTopic(Topics.CARBON_ROLLUPS,
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        for (String[] job : new String[][] {{"r-1", "llama-7b"}, {"r-2", "llama-7b"}, {"r-3", "t5-small"}}) {
            jobsIn.pipeInput(job[0], EventJson.encode(new JobEvent(1, job[0], "tenant-a", job[0], job[1], null,
                    Phase.PRETRAIN, "test-gpu", 8, 1, "gcp-europe-west4", null, null, "RUNNING", NOON, null)));
        }
        EnergyEvent dup = energy("r-1", UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "gcp-europe-west4");
        send(dup);
        send(dup);
        send(energy("r-2", UUID.randomUUID(), Phase.PRETRAIN, 5, "1000.000", "gcp-europe-west4"));
        send(energy("r-3", UUID.randomUUID(), Phase.PRETRAIN, 9, "1000.000", "gcp-europe-west4"));
        // the batches' deltas wait, summed per roll-up key, until the next flush
        assertTrue(rollupsOut.isEmpty(), "no roll-up before the deltas are flushed");
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        java.util.Map<String, RollupEvent> latest = new java.util.HashMap<>();
        rollupsOut.readKeyValuesToList().forEach(kv -> latest.put(kv.key, EventJson.decode(kv.value, RollupEvent.class)));

        RollupEvent tenant = latest.get("TENANT|tenant-a");
        assertEquals(3, tenant.jobs());
        assertEquals(3, tenant.batches());
        assertEquals(0, new BigDecimal("5960").compareTo(tenant.itEnergyJoules()));
        // (3960 + 1000 + 1000) J x 1.07 x 569 g/kWh / 3.6e6 = 1.007951889 g
        assertEquals(new BigDecimal("1.007951889"), tenant.operationalGCo2e());
        RollupEvent llama = latest.get("MODEL|llama-7b");
        assertEquals(2, llama.jobs());
        assertEquals(0, new BigDecimal("4960").compareTo(llama.itEnergyJoules()));
        assertEquals(1, latest.get("MODEL|t5-small").batches());
        assertEquals(tenant.carbonIntegral(), llama.carbonIntegral().add(latest.get("MODEL|t5-small").carbonIntegral()),
                "the models add up to the tenant exactly");
        // the same per tenant, for callers who may see one tenant only (docs/security.md)
        RollupEvent ownLlama = latest.get("TENANT_MODEL|tenant-a llama-7b");
        assertEquals(RollupEvent.Kind.TENANT_MODEL, ownLlama.kind());
        assertEquals("tenant-a", ownLlama.tenant());
        assertEquals("llama-7b", ownLlama.name());
        assertEquals(2, ownLlama.jobs());
        assertEquals(llama.carbonIntegral(), ownLlama.carbonIntegral());
        assertEquals("tenant-a", tenant.tenant());
        assertEquals(null, llama.tenant());
    }

    @Test
    void aBatchThatFailsPartWayLeavesNoTraceAndCountsWholeOnceItCan() {
        // the job's timeline bucket of that minute cannot be read (a corrupt entry): the batch fails after its footprint
        // was worked out, and must then be in none of the totals rather than in the footprint but not the roll-ups
        org.apache.kafka.streams.state.KeyValueStore<String, byte[]> timeline =
                driver.getKeyValueStore(io.carbonstream.carbon.query.StoreNames.TIMELINE_STORE);
        String bucket = io.carbonstream.carbon.query.StoreNames.timelineKey("job-t", NOON);
        timeline.put(bucket, "{\"minute\":".getBytes());
        TestOutputTopic<String, byte[]> rollupsOut = driver.createOutputTopic(Topics.CARBON_ROLLUPS,
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        EnergyEvent e = energy("job-t", UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "gcp-europe-west4");
        send(e);
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        assertEquals(1, deadLetters.readValuesToList().size());
        assertTrue(footprintOut.isEmpty(), "no footprint published");
        assertNull(driver.getKeyValueStore(io.carbonstream.carbon.query.StoreNames.FOOTPRINT_STORE).get("job-t"), "no footprint kept");
        assertNull(driver.getKeyValueStore(io.carbonstream.carbon.query.StoreNames.SEEN_STORE).get("job-t/" + e.eventId()),
                "not remembered as counted, so that a redrive counts it");
        assertTrue(rollupsOut.isEmpty(), "in no roll-up");

        timeline.delete(bucket);
        send(e);
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        assertEquals(1, lastFootprint().batches());
        java.util.Map<String, RollupEvent> latest = new java.util.HashMap<>();
        rollupsOut.readKeyValuesToList().forEach(kv -> latest.put(kv.key, EventJson.decode(kv.value, RollupEvent.class)));
        assertEquals(1, latest.get("TENANT|tenant-a").batches());
        assertEquals(0, new BigDecimal("3960").compareTo(latest.get("TENANT|tenant-a").itEnergyJoules()));
    }

    /**
     * Pending roll-up deltas and timeline buckets are stored in a binary form since 2026-12-07; the JSON an earlier
     * version left in the stores (and their changelogs) is read and added to, and what is written back is binary.
     */
    @Test
    void deltasAndBucketsAnEarlierVersionStoredAsJsonAreAddedToAndWrittenBackBinary() {
        var pending = driver.getKeyValueStore(io.carbonstream.carbon.query.StoreNames.PENDING_ROLLUPS_STORE);
        var timeline = driver.<String, byte[]>getKeyValueStore(io.carbonstream.carbon.query.StoreNames.TIMELINE_STORE);
        String bucketKey = io.carbonstream.carbon.query.StoreNames.timelineKey("job-j", NOON);
        pending.put("TENANT|tenant-a", """
                {"newJob":true,"batches":2,"tokens":10,"itEnergyJoules":1000.000000,"facilityEnergyJoules":1070.00000000,"carbonIntegral":608830.00000000,"embodiedIntegral":0,"newJobs":1}"""
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        timeline.put(bucketKey, EventJson.encode(new io.carbonstream.carbon.accounting.TimelineBucket(NOON, 2, 10,
                new BigDecimal("1000.000000"), new BigDecimal("1070.00000000"), new BigDecimal("608830.00000000"), BigDecimal.ZERO)));
        TestOutputTopic<String, byte[]> rollupsOut = driver.createOutputTopic(Topics.CARBON_ROLLUPS,
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        send(energy("job-j", UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "gcp-europe-west4"));

        byte[] bucket = timeline.get(bucketKey);
        assertEquals(1, bucket[0], "written back in the binary form");
        var minute = io.carbonstream.carbon.query.StoreValues.bucket(bucket);
        assertEquals(3, minute.batches());
        assertEquals(new BigDecimal("4960.000000"), minute.itEnergyJoules());
        assertEquals(1, ((byte[]) pending.get("TENANT|tenant-a"))[0]);
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        java.util.Map<String, RollupEvent> latest = new java.util.HashMap<>();
        rollupsOut.readKeyValuesToList().forEach(kv -> latest.put(kv.key, EventJson.decode(kv.value, RollupEvent.class)));
        RollupEvent tenant = latest.get("TENANT|tenant-a");
        assertEquals(3, tenant.batches());
        assertEquals(2, tenant.jobs());
        assertEquals(new BigDecimal("4960.000000"), tenant.itEnergyJoules());
        // 608830 + 3960 J x 1.07 x 569 g/kWh: the stored integral and the batch's, exactly
        assertEquals(new BigDecimal("608830.00000000").add(new BigDecimal("3960.000000").multiply(new BigDecimal("1.07"))
                .multiply(new BigDecimal("569"))).compareTo(tenant.carbonIntegral()), 0, tenant.carbonIntegral().toString());
        assertNull(pending.get("TENANT|tenant-a"), "flushed");
    }

    @Test
    void energyThatCannotBeChargedIsDeadLetteredWithTheReason() {
        send(energy("job-4", UUID.randomUUID(), Phase.PRETRAIN, 0, "10.000", "no-such-dc"));
        energyIn.pipeInput("job-4", "{\"jobId\":".getBytes());
        List<byte[]> letters = deadLetters.readValuesToList();
        assertEquals(2, letters.size());
        DeadLetter unknownDc = EventJson.decode(letters.get(0), DeadLetter.class);
        assertEquals("datacenter", unknownDc.field());
        assertTrue(unknownDc.reason().startsWith("unknown data centre 'no-such-dc'"), unknownDc.reason());
        assertEquals(Topics.TELEMETRY_ENERGY, unknownDc.topic());
        assertTrue(EventJson.decode(letters.get(1), DeadLetter.class).reason().startsWith("malformed JSON"));
        assertTrue(footprintOut.isEmpty(), "nothing was counted");
    }

    @Test
    void recordsThatBreakTheContractAreDeadLetteredAndNeverCounted() {
        EnergyEvent ok = energy("job-9", UUID.randomUUID(), Phase.PRETRAIN, 0, "100", "gcp-europe-west4");
        String json = EventJson.encodeToString(ok);
        energyIn.pipeInput("job-9", (byte[]) null);
        energyIn.pipeInput("job-9", "null".getBytes());
        energyIn.pipeInput("job-9", json.replace("\"schemaVersion\":1", "\"schemaVersion\":999").getBytes());
        energyIn.pipeInput("job-9", json.replace("\"tenant\":\"tenant-a\",", "").getBytes());
        energyIn.pipeInput("job-9", json.replace("\"accelerator\":100.000000", "\"accelerator\":1e309").getBytes());
        energyIn.pipeInput("job-9", json.replace("\"job-9\"", "\"" + "j".repeat(200_000) + "\"").getBytes());
        energyIn.pipeInput("someone-else", json.getBytes());
        energyIn.pipeInput((String) null, json.getBytes());
        // idle energy that would take the job's idle total below zero: no adjustment of telemetry-service does that
        energyIn.pipeInput("job-9", json.replace("\"idle\":0.000000", "\"idle\":-1000000").getBytes());
        List<DeadLetter> letters = deadLetters.readValuesToList().stream().map(v -> EventJson.decode(v, DeadLetter.class)).toList();
        assertEquals(List.of("empty record", "the record is JSON null, not an event"),
                letters.subList(0, 2).stream().map(DeadLetter::reason).toList());
        assertEquals(java.util.Arrays.asList(null, null, "schemaVersion", "tenant", "energyJoules.accelerator", "jobId", "jobId",
                null, "energyJoules.idle"), letters.stream().map(DeadLetter::field).toList());
        assertTrue(footprintOut.isEmpty(), "nothing counted");
        // the stream goes on
        send(ok);
        assertEquals(1, lastFootprint().batches());
    }

    @Test
    void jobRecordsThatAreNoJobDescriptionAreDeadLettered() {
        var jobsIn = driver.createInputTopic(Topics.TRAINING_JOBS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        var jobLetters = driver.createOutputTopic(Topics.deadLetterOf(Topics.TRAINING_JOBS), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        jobsIn.pipeInput("job-1", (byte[]) null);
        jobsIn.pipeInput("job-1", "{\"schemaVersion\":1,\"jobId\":\"job-1\",\"tenant\":\"t\",\"state\":\"DANCING\"}".getBytes());
        jobsIn.pipeInput("job-2", "{\"schemaVersion\":1,\"jobId\":\"job-1\",\"tenant\":\"t\",\"state\":\"RUNNING\"}".getBytes());
        List<DeadLetter> letters = jobLetters.readValuesToList().stream().map(v -> EventJson.decode(v, DeadLetter.class)).toList();
        assertEquals(java.util.Arrays.asList(null, "state", "jobId"), letters.stream().map(DeadLetter::field).toList());
        assertEquals(Topics.TRAINING_JOBS, letters.get(0).topic());
    }
}
