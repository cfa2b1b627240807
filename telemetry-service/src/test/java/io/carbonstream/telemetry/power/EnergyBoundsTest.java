package io.carbonstream.telemetry.power;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.PowerSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import static io.carbonstream.telemetry.power.EnergyCalculatorTest.CATALOG;
import static io.carbonstream.telemetry.power.EnergyCalculatorTest.T0;
import static io.carbonstream.telemetry.power.EnergyCalculatorTest.assertDecimal;
import static io.carbonstream.telemetry.power.EnergyCalculatorTest.batch;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The low and high ends of a batch's IT energy, by how the energy was obtained (docs/methodology.md). */
class EnergyBoundsTest {

    static void assertBounds(String low, String high, Bounds b) {
        assertDecimal(low, b.low());
        assertDecimal(high, b.high());
    }

    static BigDecimal width(EnergyEvent e) {
        return e.energyBounds().high().subtract(e.energyBounds().low());
    }

    @Test
    void anNvmlReadingIsWithinFivePercent() {
        // 2640 W x 1.5 s = 3960 J, +/- 5 % (NVML's documented accuracy)
        EnergyEvent e = EnergyCalculator.energyOf(batch(1500, 8, null, 2640.0), CATALOG, T0);
        assertDecimal("3960", e.energyJoules().total());
        assertBounds("3762", "4158", e.energyBounds());
    }

    @Test
    void aDeclaredToleranceReplacesTheSourcesDefault() {
        BatchEvent b = batch(1500, 8, null, 2640.0).toBuilder().powerTolerance(0.02).build();
        assertBounds("3880.8", "4039.2", EnergyCalculator.energyOf(b, CATALOG, T0).energyBounds());
        // a declared average without one: +/- 10 %
        BatchEvent declared = batch(1500, 8, null, 2640.0).toBuilder().powerSource(PowerSource.DECLARED).build();
        assertBounds("3564", "4356", EnergyCalculator.energyOf(declared, CATALOG, T0).energyBounds());
        // a meter outside the host: +/- 1 %
        BatchEvent meter = batch(1500, 8, null, 2640.0).toBuilder().powerSource(PowerSource.METER).build();
        assertBounds("3920.4", "3999.6", EnergyCalculator.energyOf(meter, CATALOG, T0).energyBounds());
    }

    @Test
    void theModelAtAReportedUtilizationIsWithinFortyPercentInsideIdleToMax() {
        // 8 x 330 W (u = 0.8) x 1.5 s = 3960 J; 330 x 0.6 = 198 W; 330 x 1.4 = 462 W, capped at max 400 W
        EnergyEvent e = EnergyCalculator.energyOf(batch(1500, 8, 0.8, null), CATALOG, T0);
        assertBounds("2376", "4800", e.energyBounds());
        // u = 0.1: 85 W; 85 x 0.6 = 51 W stays above idle 50 W; at u = 0.01: 53.5 x 0.6 = 32.1 W, raised to idle 50 W
        assertBounds("612", "1428", EnergyCalculator.energyOf(batch(1500, 8, 0.1, null), CATALOG, T0).energyBounds());
        assertBounds("600", "898.8", EnergyCalculator.energyOf(batch(1500, 8, 0.01, null), CATALOG, T0).energyBounds());
    }

    @Test
    void aCalibratedProfileIsChargedItsOwnToleranceNotTheModelsDefault() {
        // the test GPU calibrated to +/- 9.762 % (an instrument's 5 % plus the fit's largest residual, 4.762 %):
        // 8 x 330 W x 1.5 s = 3960 J; 330 x 0.90238 = 297.7854 W; 330 x 1.09762 = 362.2146 W
        HardwareProfile calibrated = new HardwareProfile("test-gpu", 4, HardwareKind.ACCELERATOR, "Test GPU",
                new BigDecimal("50"), new BigDecimal("400"), List.of(), "test; curve fitted", new BigDecimal("0.097620"));
        PowerCatalog catalog = new PowerCatalog(List.of(calibrated, EnergyCalculatorTest.CPU, EnergyCalculatorTest.DRAM,
                EnergyCalculatorTest.HOST));
        EnergyEvent e = EnergyCalculator.energyOf(batch(1500, 8, 0.8, null), catalog, T0);
        assertDecimal("3960", e.energyJoules().total());
        assertBounds("3573.4248", "4346.5752", e.energyBounds());
        assertTrue(width(e).compareTo(width(EnergyCalculator.energyOf(batch(1500, 8, 0.8, null), CATALOG, T0))) < 0);
        // its idle power too: 8 x 50 W over a 2 s gap = 800 J, 721.904..878.096 J
        EnergyEvent idle = EnergyCalculator.energyOf(batch(1500, 8, 0.8, null), catalog, T0, 2_000_000_000L);
        assertBounds("4295.3288", "5224.6712", idle.energyBounds());
    }

    @Test
    void theModelAtAnUnknownUtilizationSpansIdleToMax() {
        // full load is charged (the upper estimate): 8 x 400 W x 1.5 s = 4800 J; idle 8 x 50 W x 1.5 s = 600 J
        EnergyEvent e = EnergyCalculator.energyOf(batch(1500, 8, null, null), CATALOG, T0);
        assertDecimal("4800", e.energyJoules().total());
        assertBounds("600", "4800", e.energyBounds());
    }

    @Test
    void aMeasuredBatchIsNarrowerThanTheSameBatchModelled() {
        EnergyEvent measured = EnergyCalculator.energyOf(batch(1500, 8, 0.8, 2640.0), CATALOG, T0);
        EnergyEvent modeled = EnergyCalculator.energyOf(batch(1500, 8, 0.8, null), CATALOG, T0);
        assertDecimal(measured.energyJoules().total().toPlainString(), modeled.energyJoules().total());
        assertTrue(width(measured).compareTo(width(modeled)) < 0, width(measured) + " < " + width(modeled));
    }

    @Test
    void hostComponentsAreModelledWithinTheirTolerance() {
        // memory 16 GB x 0.392 W = 6.272 W and a node's overhead 1200 W x 0.125 = 150 W, both constants: +/- 40 %;
        // CPUs 4 cores without cpuSeconds: charged at 50 % (3 W each), bounded by idle 1 W and max 5 W per core
        BatchEvent b = batch().endedAt(T0.plusSeconds(2)).memoryGb(16.0).hostType("test-host").hostNodes(0.125)
                .cpuType("test-cpu").cpuCores(4).build();
        EnergyEvent e = EnergyCalculator.energyOf(b, CATALOG, T0);
        // point: (6.272 + 150 + 12) W x 2 s = 336.544 J
        assertDecimal("336.544", e.energyJoules().total());
        // low: 6.272 x 0.6 + 150 x 0.6 + 4 x 1 = 97.7632 W; high: 6.272 x 1.4 + 150 x 1.4 + 4 x 5 = 238.7808 W
        assertBounds("195.5264", "477.5616", e.energyBounds());
    }

    @Test
    void theIdleChangeIsBoundedByTheIdlePowerAtEachEnd() {
        // 8 x 50 W idle over a 2 s gap: 800 J; idle power +/- 40 %: 480..1120 J, on top of the batch's own bounds
        BatchEvent b = batch(1500, 8, null, 2640.0);
        EnergyEvent e = EnergyCalculator.energyOf(b, CATALOG, T0, 2_000_000_000L);
        assertDecimal("800", e.energyJoules().idle());
        assertBounds("4242", "5278", e.energyBounds());
        // a late batch that takes 1 s back out of a gap already counted: -400 J, -240 J at the low end, -560 at the high
        EnergyEvent late = EnergyCalculator.energyOf(b.toBuilder().eventId(UUID.randomUUID()).build(), CATALOG, T0,
                -1_000_000_000L);
        assertBounds("3522", "3598", late.energyBounds());
    }
}
