package io.carbonstream.telemetry.power;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.Phase;
import io.carbonstream.events.PowerSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnergyCalculatorTest {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final HardwareProfile GPU = new HardwareProfile("test-gpu", 3, HardwareKind.ACCELERATOR, "Test GPU",
            new BigDecimal("50"), new BigDecimal("400"), "test");
    static final HardwareProfile CPU = new HardwareProfile("test-cpu", 2, HardwareKind.CPU, "Test CPU per vCPU",
            new BigDecimal("1"), new BigDecimal("5"), "test");
    static final HardwareProfile DRAM = new HardwareProfile("dram", 1, HardwareKind.MEMORY, "DRAM per GB",
            new BigDecimal("0.392"), new BigDecimal("0.392"), "test");
    static final HardwareProfile HOST = new HardwareProfile("test-host", 1, HardwareKind.HOST, "node overhead",
            new BigDecimal("1200"), new BigDecimal("1200"), "test");
    static final PowerCatalog CATALOG = new PowerCatalog(List.of(GPU, CPU, DRAM, HOST));

    /** A valid one-second batch of job "job" on data centre "dc", with no hardware yet: tests name what they price. */
    static BatchEvent.Builder batch() {
        return BatchEvent.builder().schemaVersion(1).eventId(UUID.randomUUID()).jobId("job").tenant("tenant").workerId("0")
                .step(1L).phase(Phase.PRETRAIN).startedAt(T0).endedAt(T0.plusSeconds(1)).samples(1L).tokens(0L)
                .datacenter("dc");
    }

    static BatchEvent batch(long millis, Integer count, Double utilization, Double measuredWatts) {
        return batch().endedAt(T0.plusMillis(millis)).samples(32L).tokens(4096L).acceleratorType("test-gpu")
                .acceleratorCount(count).utilization(utilization).measuredPowerWatts(measuredWatts)
                .powerSource(measuredWatts == null ? null : PowerSource.NVML).build();
    }

    static void assertDecimal(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    @Test
    void linearModelInterpolatesBetweenIdleAndMax() {
        assertDecimal("50", GPU.wattsAt(BigDecimal.ZERO));
        assertDecimal("400", GPU.wattsAt(BigDecimal.ONE));
        assertDecimal("330", GPU.wattsAt(new BigDecimal("0.8")));
        assertDecimal("50.35", GPU.wattsAt(new BigDecimal("0.001")));
    }

    @Test
    void modeledEnergyIsCountTimesPowerAtUtilizationTimesDuration() {
        // 8 devices x (50 + 350 x 0.8 = 330 W) x 1.5 s = 3960 J
        EnergyEvent e = EnergyCalculator.energyOf(batch(1500, 8, 0.8, null), CATALOG, T0);
        assertEquals(new BigDecimal("3960.000000"), e.energyJoules().accelerator());
        assertEquals(new BigDecimal("0.000000"), e.energyJoules().cpu());
        assertEquals(new BigDecimal("3960.000000"), e.energyJoules().total());
        assertEquals(2640.0, e.averagePowerWatts());
        assertEquals(EnergyMethod.MODELED, e.method());
        assertEquals("test-gpu", e.powerModelId());
        assertEquals(3, e.powerModelVersion());
    }

    @Test
    void aMeasuredCpuPowerIsPricedInsteadOfTheCpuModel() {
        // 35.5 W measured by RAPL over 1.5 s = 53.25 J, though the batch names a CPU profile of its own
        BatchEvent.Builder cpuBatch = batch().endedAt(T0.plusMillis(1500)).samples(32L).tokens(4096L)
                .acceleratorType("test-gpu").acceleratorCount(1).utilization(0.0).cpuSeconds(3.0).cpuType("test-cpu")
                .cpuCores(4);
        BatchEvent b = cpuBatch.measuredCpuWatts(35.5).build();
        EnergyEvent e = EnergyCalculator.energyOf(b, CATALOG, T0);
        assertEquals(new BigDecimal("53.250000"), e.energyJoules().cpu());
        // without it, the model: 4 cores x (1 + 4 x 0.5) W x 1.5 s = 18 J
        BatchEvent modeled = cpuBatch.eventId(UUID.randomUUID()).measuredCpuWatts(null).build();
        assertEquals(new BigDecimal("18.000000"), EnergyCalculator.energyOf(modeled, CATALOG, T0).energyJoules().cpu());
        assertEquals(java.util.List.of(), io.carbonstream.events.BatchValidation.validate(b));
        BatchEvent huge = cpuBatch.eventId(UUID.randomUUID()).measuredCpuWatts(1e12).build();
        assertEquals("measuredCpuWatts", io.carbonstream.events.BatchValidation.validate(huge).get(0).field());
    }

    @Test
    void withoutUtilizationTheModelAssumesFullLoad() {
        // 1 device x 400 W x 0.25 s = 100 J
        assertEquals(new BigDecimal("100.000000"), EnergyCalculator.energyOf(batch(250, 1, null, null), CATALOG, T0)
                .energyJoules().accelerator());
    }

    @Test
    void aMeasuredReadingWinsOverTheModelAndIsLabelledSo() {
        // 1210.5 W measured x 0.75 s = 907.875 J, whatever the model says
        EnergyEvent e = EnergyCalculator.energyOf(batch(750, 4, 0.8, 1210.5), CATALOG, T0);
        assertEquals(new BigDecimal("907.875000"), e.energyJoules().accelerator());
        assertEquals(EnergyMethod.MEASURED, e.method());
    }

    @Test
    void energyIsRoundedHalfEvenToTheMicrojoule() {
        // 1 x 400 W x 1 ns = 0.0000004 J -> 0.000000 J; 1 x 400 W x 1.234567 ms = 0.4938268 J -> 0.493827 J
        assertEquals(new BigDecimal("0.000000"), acceleratorEnergyOver(1));
        assertEquals(new BigDecimal("0.493827"), acceleratorEnergyOver(1_234_567));
    }

    private static BigDecimal acceleratorEnergyOver(long nanos) {
        return EnergyCalculator.energyOf(batch().phase(Phase.EVAL).endedAt(T0.plusNanos(nanos)).acceleratorType("test-gpu")
                .acceleratorCount(1).build(), CATALOG, T0).energyJoules().accelerator();
    }

    @Test
    void unknownHardwareIsAnErrorNotZeroEnergy() {
        BatchEvent b = batch(1000, 1, 0.5, null);
        BatchEvent unknown = batch().eventId(b.eventId()).acceleratorType("no-such-gpu").acceleratorCount(1).build();
        UnknownHardwareException e = assertThrows(UnknownHardwareException.class,
                () -> EnergyCalculator.energyOf(unknown, CATALOG, T0));
        assertEquals("acceleratorType", e.field());
        assertEquals("unknown hardware profile 'no-such-gpu'", e.getMessage());
    }

    @Test
    void aCpuOnlyBatchWithoutAcceleratorsHasNoAcceleratorEnergy() {
        BatchEvent cpuOnly = batch().acceleratorCount(0).cpuSeconds(0.9).build();
        EnergyEvent e = EnergyCalculator.energyOf(cpuOnly, CATALOG, T0);
        assertEquals(new BigDecimal("0.000000"), e.energyJoules().accelerator());
        assertNull(e.powerModelId());
    }

    @Test
    void cpuEnergyFollowsTheCpuTimeTheBatchUsed() {
        // 4 vCPUs x 2 s, 6 CPU-seconds used: u = 0.75, P = 1 + 4 x 0.75 = 4 W per vCPU; 4 x 4 W x 2 s = 32 J
        BatchEvent b = batch().endedAt(T0.plusSeconds(2)).acceleratorCount(0).cpuSeconds(6.0).cpuType("test-cpu")
                .cpuCores(4).build();
        EnergyEvent e = EnergyCalculator.energyOf(b, CATALOG, T0);
        assertEquals(new BigDecimal("32.000000"), e.energyJoules().cpu());
        assertEquals(new BigDecimal("32.000000"), e.energyJoules().total());
        assertEquals("test-cpu", e.powerModelId());
        assertEquals(2, e.powerModelVersion());
        // without CPU time: u = 0.5 (CCF's average), P = 3 W; 4 x 3 W x 2 s = 24 J
        BatchEvent noTime = batch().endedAt(T0.plusSeconds(2)).acceleratorCount(0).cpuType("test-cpu").cpuCores(4).build();
        assertEquals(new BigDecimal("24.000000"), EnergyCalculator.energyOf(noTime, CATALOG, T0).energyJoules().cpu());
    }

    @Test
    void memoryAndNodeOverheadAreCountedPerGigabyteAndPerNodeShare() {
        // 8 GPUs at u 0.8 (330 W each) for 2 s = 5280 J; 512 GB x 0.392 W x 2 s = 401.408 J;
        // 1200 W node overhead x 1/8 of a node x 2 s = 300 J
        BatchEvent b = batch().endedAt(T0.plusSeconds(2)).acceleratorType("test-gpu").acceleratorCount(8).utilization(0.8)
                .memoryGb(512.0).hostType("test-host").hostNodes(0.125).build();
        EnergyEvent e = EnergyCalculator.energyOf(b, CATALOG, T0);
        assertEquals(new BigDecimal("5280.000000"), e.energyJoules().accelerator());
        assertEquals(new BigDecimal("401.408000"), e.energyJoules().memory());
        assertEquals(new BigDecimal("300.000000"), e.energyJoules().other());
        assertEquals(new BigDecimal("5981.408000"), e.energyJoules().total());
        assertEquals(2990.704, e.averagePowerWatts());
    }

    @Test
    void unknownMemoryOrHostProfilesAreErrorsNamingTheirField() {
        BatchEvent b = batch().endedAt(T0.plusSeconds(2)).acceleratorType("test-gpu").acceleratorCount(1).memoryGb(16.0)
                .memoryType("hbm9").build();
        assertEquals("memoryType", assertThrows(UnknownHardwareException.class,
                () -> EnergyCalculator.energyOf(b, CATALOG, T0)).field());
    }

    @Test
    void profilesWithIdleAboveMaxOrNegativeWattsCannotExist() {
        assertThrows(IllegalArgumentException.class, () -> new HardwareProfile("x", 1, HardwareKind.ACCELERATOR, "x",
                new BigDecimal("500"), new BigDecimal("400"), "s"));
        assertThrows(IllegalArgumentException.class, () -> new HardwareProfile("x", 1, HardwareKind.ACCELERATOR, "x",
                new BigDecimal("-1"), new BigDecimal("400"), "s"));
        assertThrows(IllegalArgumentException.class, () -> GPU.wattsAt(new BigDecimal("1.01")));
    }

    static final HardwareProfile UNPUBLISHED = new HardwareProfile("test-npu", 1, HardwareKind.ACCELERATOR,
            "Test NPU, power not published", null, null, "test: no published power");

    @Test
    void aProfileWithoutPowerFiguresRefusesToModelAndNeverAnswersZero() {
        assertEquals(false, UNPUBLISHED.hasPowerModel());
        NoPowerModelException e = assertThrows(NoPowerModelException.class, () -> UNPUBLISHED.wattsAt(BigDecimal.ZERO));
        assertEquals("test-npu", e.profileId());
        org.hamcrest.MatcherAssert.assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("PUT /hardware/test-npu"));
        assertThrows(IllegalArgumentException.class, () -> new HardwareProfile("x", 1, HardwareKind.ACCELERATOR, "x",
                null, new BigDecimal("10"), "only one figure"));
        assertThrows(IllegalArgumentException.class, () -> new HardwareProfile("x", 1, HardwareKind.ACCELERATOR, "x",
                null, null, List.of(new PowerPoint(BigDecimal.ZERO, BigDecimal.ONE), new PowerPoint(BigDecimal.ONE,
                        BigDecimal.TEN)), "a curve without figures"));
    }

    @Test
    void aMeasuredReadingPricesABatchOfADeviceWithoutPowerFiguresButItsIdleTimeCannotBe() {
        PowerCatalog catalog = new PowerCatalog(List.of(UNPUBLISHED));
        BatchEvent.Builder npu = batch().endedAt(T0.plusMillis(1500)).samples(32L).tokens(4096L).acceleratorType("test-npu");
        BatchEvent declared = npu.acceleratorCount(4).measuredPowerWatts(600.0).powerSource(PowerSource.DECLARED).build();
        EnergyEvent e = EnergyCalculator.energyOf(declared, catalog, T0);
        assertEquals(new BigDecimal("900.000000"), e.energyJoules().accelerator()); // 600 W x 1.5 s
        assertEquals(EnergyMethod.DECLARED, e.method());
        assertEquals("test-npu", e.powerModelId());
        assertThrows(NoPowerModelException.class, () -> EnergyCalculator.idleWatts(declared, catalog));
        BatchEvent modelled = npu.eventId(UUID.randomUUID()).acceleratorCount(4).utilization(0.5).measuredPowerWatts(null)
                .powerSource(null).build();
        assertThrows(NoPowerModelException.class, () -> EnergyCalculator.energyOf(modelled, catalog, T0));
        // no devices need no power: a CPU-only batch naming the type is not refused
        BatchEvent none = npu.eventId(UUID.randomUUID()).acceleratorCount(0).utilization(null).build();
        assertEquals(new BigDecimal("0.000000"), EnergyCalculator.energyOf(none, catalog, T0).energyJoules().total());
        assertDecimal("0", EnergyCalculator.idleWatts(none, catalog));
    }
}
