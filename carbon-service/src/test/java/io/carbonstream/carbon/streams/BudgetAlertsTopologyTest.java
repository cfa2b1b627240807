package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.AlertEvent;
import io.carbonstream.events.BudgetEvent;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.JobEvent;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Carbon budgets without a broker: each threshold (50, 80, 100 %) of a job's budget, or of a tenant's monthly
 * budget, is alerted exactly once, in order, however batches are redelivered or reordered.
 */
class BudgetAlertsTopologyTest {

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> energyIn;
    TestInputTopic<String, byte[]> jobsIn;
    TestInputTopic<String, byte[]> budgetsIn;
    TestOutputTopic<String, byte[]> footprintOut;
    TestOutputTopic<String, byte[]> alertsOut;
    /** What one of the test's batches adds (operational + embodied), measured on a job of its own. */
    BigDecimal perBatch;
    FootprintEvent probe;

    @BeforeEach
    void start() {
        TopologyProducer producer = new TopologyProducer() {
            @Override
            java.util.function.Supplier<io.carbonstream.carbon.grid.DatacenterCatalog> datacenters() {
                var fixed = io.carbonstream.carbon.grid.DatacenterCatalog.of(StaticTables.bundled());
                return () -> fixed;
            }
        };
        producer.registry = new SimpleMeterRegistry();
        java.util.Properties props = new java.util.Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "carbon-budget-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(producer.buildTopology(StaticTables.bundled()), props);
        energyIn = driver.createInputTopic(Topics.TELEMETRY_ENERGY, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        jobsIn = driver.createInputTopic(Topics.TRAINING_JOBS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        budgetsIn = driver.createInputTopic(Topics.CARBON_BUDGETS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        footprintOut = driver.createOutputTopic(Topics.CARBON_FOOTPRINT, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        alertsOut = driver.createOutputTopic(Topics.CARBON_ALERTS, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        send(batch("probe", 0));
        probe = last();
        perBatch = probe.operationalGCo2e().add(probe.embodiedGCo2e());
        assertTrue(perBatch.signum() > 0);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static EnergyEvent batch(String job, int n) {
        return energy(job, UUID.nameUUIDFromBytes((job + "/" + n).getBytes()), Phase.PRETRAIN, 2L * n, "3960.000", "gcp-europe-west4");
    }

    void send(EnergyEvent e) {
        energyIn.pipeInput(e.jobId(), EventJson.encode(e));
    }

    void job(String id, Long plannedSteps, BigDecimal budget) {
        jobsIn.pipeInput(id, EventJson.encode(new JobEvent(1, id, "tenant-a", "budgeted", "bert-base", 110_000_000L,
                Phase.PRETRAIN, "test-gpu", 8, 1, "gcp-europe-west4", plannedSteps, null, "RUNNING", NOON, null, budget)));
    }

    FootprintEvent last() {
        List<byte[]> values = footprintOut.readValuesToList();
        return EventJson.decode(values.get(values.size() - 1), FootprintEvent.class);
    }

    List<AlertEvent> alerts() {
        return alertsOut.readKeyValuesToList().stream().map(kv -> {
            AlertEvent a = EventJson.decode(kv.value, AlertEvent.class);
            assertEquals(a.scope() == AlertEvent.Scope.JOB ? a.jobId() : a.tenant(), kv.key, "keyed by job or tenant");
            return a;
        }).toList();
    }

    /** The exact total of n of the test's batches: their carbon integrals summed, then rounded once. */
    BigDecimal times(int n) {
        BigDecimal k = BigDecimal.valueOf(n);
        return io.carbonstream.carbon.accounting.Carbon.grams(probe.carbonIntegral().multiply(k))
                .add(io.carbonstream.carbon.accounting.Carbon.embodiedGrams(probe.embodiedIntegral().multiply(k),
                        StaticTables.LIFETIME_SECONDS));
    }

    /** A budget a micro-gram under n batches: the n-th crosses 100 %, half of them 50 %, whatever the rounding. */
    BigDecimal budgetOf(int n) {
        return times(n).subtract(new BigDecimal("0.000001"));
    }

    @Test
    void eachThresholdOfAJobsBudgetIsAlertedOnceWhateverTheOrderAndRedeliveries() {
        job("job-b", null, budgetOf(10));
        List<EnergyEvent> batches = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            batches.add(batch("job-b", n));
            batches.add(batch("job-b", n)); // delivered twice
        }
        Collections.shuffle(batches, new Random(20261201));
        batches.forEach(this::send);

        List<AlertEvent> alerts = alerts();
        assertEquals(List.of(50, 80, 100), alerts.stream().map(AlertEvent::thresholdPercent).toList());
        // crossed exactly at the 5th, 8th and 10th distinct batch, whichever they were
        assertEquals(List.of(times(5), times(8), times(10)), alerts.stream().map(AlertEvent::gCo2e).toList());
        alerts.forEach(a -> {
            assertEquals("running", a.basis());
            assertEquals(0, budgetOf(10).compareTo(a.budgetGCo2e()));
            assertEquals("JOB|job-b|" + a.thresholdPercent(), a.alertId());
        });
        FootprintEvent f = last();
        assertEquals(12, f.batches());
        assertEquals(100, f.budget().alertedPercent());
        assertTrue(f.budget().usedShare().compareTo(new BigDecimal("1.2")) >= 0, "12 of 10");

        // redelivered again, all of them: no alert, and the totals do not move
        batches.forEach(this::send);
        assertTrue(alertsOut.isEmpty());
    }

    @Test
    void theProjectionToCompletionAlertsBeforeTheFootprintDoes() {
        // 10 planned steps, budget of 20 batches: from the first batch the projection is half the budget
        job("job-p", 10L, times(20).multiply(new BigDecimal("0.999")));
        send(batch("job-p", 0));
        List<AlertEvent> first = alerts();
        assertEquals(1, first.size());
        assertEquals(50, first.get(0).thresholdPercent());
        assertEquals("projected", first.get(0).basis());
        assertEquals(0, probe.operationalGCo2e().add(probe.embodiedGCo2e()).multiply(BigDecimal.TEN)
                .compareTo(first.get(0).projectedGCo2e()), "one batch of ten, ten times over");
        for (int n = 1; n < 16; n++) {
            send(batch("job-p", n));
        }
        List<AlertEvent> later = alerts();
        assertEquals(1, later.size(), "80 % when 16 of the budget's 20 batches have run");
        assertEquals(80, later.get(0).thresholdPercent());
        assertEquals("running", later.get(0).basis());
        assertEquals(times(16), later.get(0).gCo2e());
    }

    @Test
    void aBudgetThatArrivesWithTheJobAfterItsBatchesAlertsWhatIsAlreadyCrossed() {
        for (int n = 0; n < 6; n++) {
            send(batch("job-l", n));
        }
        assertTrue(alertsOut.isEmpty());
        job("job-l", null, budgetOf(10));
        List<AlertEvent> alerts = alerts();
        assertEquals(List.of(50), alerts.stream().map(AlertEvent::thresholdPercent).toList());
        assertEquals(times(6), alerts.get(0).gCo2e());
        assertEquals(50, last().budget().alertedPercent());
    }

    @Test
    void eachThresholdOfATenantsMonthlyBudgetIsAlertedOnce() {
        String month = java.time.YearMonth.from(NOON.atOffset(java.time.ZoneOffset.UTC)).toString();
        // the probe's batch counts in the month too: 1 of the budget's 10
        budgetsIn.pipeInput("tenant-a", EventJson.encode(new BudgetEvent(1, "tenant-a", budgetOf(10), "admin", NOON)));
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        assertTrue(alertsOut.isEmpty(), "1 of 10");
        for (int n = 0; n < 4; n++) {
            send(batch("job-m", n));
        }
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        List<AlertEvent> half = alerts();
        assertEquals(1, half.size());
        assertEquals(AlertEvent.Scope.TENANT_MONTH, half.get(0).scope());
        assertEquals(50, half.get(0).thresholdPercent());
        assertEquals(month, half.get(0).month());
        assertEquals("TENANT_MONTH|tenant-a|" + month + "|50", half.get(0).alertId());
        assertEquals(0, times(5).compareTo(half.get(0).gCo2e()));

        for (int n = 0; n < 4; n++) {
            send(batch("job-m", n)); // redelivered: counted once
        }
        for (int n = 4; n < 10; n++) {
            send(batch("job-m2", n));
        }
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        List<AlertEvent> rest = alerts();
        assertEquals(List.of(80, 100), rest.stream().map(AlertEvent::thresholdPercent).toList(),
                "both crossed within one flush: each once, in order");
        rest.forEach(a -> assertEquals(0, times(11).compareTo(a.gCo2e())));
        send(batch("job-m2", 10));
        driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        assertTrue(alertsOut.isEmpty(), "nothing above 100 %");
    }
}
