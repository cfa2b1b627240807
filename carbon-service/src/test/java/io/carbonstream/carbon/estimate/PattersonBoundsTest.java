package io.carbonstream.carbon.estimate;

import io.carbonstream.carbon.accounting.Carbon;
import io.carbonstream.carbon.accounting.FootprintAccumulator.ChargedBatch;
import io.carbonstream.carbon.accounting.Spread;
import io.carbonstream.carbon.grid.Ranges;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.FootprintEvent.AppliedIntensity;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Tolerances;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every published footprint of Patterson et al. 2021, Table 4, lies inside the bounds of its replay: the run as one
 * declared average (telemetry-service's DECLARED tolerance, {@link Tolerances#DECLARED}), at the paper's PUE without
 * a stated range ({@link Ranges#pue}) and the paper's grid intensity entered by hand ({@link IntensityBasis#MANUAL}),
 * charged by the same step as every batch ({@link ChargedBatch#of}).
 */
class PattersonBoundsTest {

    static final Instant START = Instant.parse("2026-01-10T00:00:00Z");

    @Test
    void thePublishedEnergyAndCo2eOfEveryRunLieInsideItsReplaysBounds() throws Exception {
        int rows = 0;
        StringBuilder report = new StringBuilder();
        try (var in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/published/patterson-2021-table4.csv"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#") || line.startsWith("model,")) {
                    continue;
                }
                String[] f = line.split(",");
                int count = Integer.parseInt(f[2]);
                BigDecimal seconds = new BigDecimal(f[3]).multiply(BigDecimal.valueOf(86_400));
                BigDecimal joules = BigDecimal.valueOf(count).multiply(new BigDecimal(f[4])).multiply(seconds)
                        .setScale(Energy.SCALE, java.math.RoundingMode.HALF_EVEN);
                BigDecimal pue = new BigDecimal(f[5]);
                BigDecimal intensity = new BigDecimal(f[6]).movePointRight(3);
                Instant end = START.plusNanos(seconds.movePointRight(9).longValueExact());
                EnergyEvent e = new EnergyEvent(2, UUID.randomUUID(), "replay", "research", "0", 0L, Phase.PRETRAIN,
                        START, end, 0L, 0L, null, f[1], count, "paper", new Energy(joules, BigDecimal.ZERO.setScale(6),
                        BigDecimal.ZERO.setScale(6), BigDecimal.ZERO.setScale(6)), null, EnergyMethod.DECLARED, f[1], 1, START,
                        Bounds.relative(joules, Tolerances.DECLARED));
                AppliedIntensity applied = new AppliedIntensity("paper", "paper", pue, intensity, GridIntensityEvent.Source.MANUAL,
                        START, Ranges.pue(pue, null, null), Ranges.intensity(intensity, IntensityBasis.MANUAL), IntensityBasis.MANUAL);
                Spread s = ChargedBatch.of(e, applied, BigDecimal.ZERO).spread();
                Bounds mwh = new Bounds(s.facilityEnergyJoules().low().divide(new BigDecimal("3.6e9"), MathContext.DECIMAL64),
                        s.facilityEnergyJoules().high().divide(new BigDecimal("3.6e9"), MathContext.DECIMAL64));
                Bounds tonnes = new Bounds(Carbon.grams(s.carbonIntegral().low()).movePointLeft(6),
                        Carbon.grams(s.carbonIntegral().high()).movePointLeft(6));
                check(f[0] + " MWh", mwh, new BigDecimal(f[7]), report);
                check(f[0] + " tCO2e", tonnes, new BigDecimal(f[8]), report);
                rows++;
            }
        }
        assertEquals(6, rows);
        System.out.println("Patterson et al. 2021 Table 4 inside its replays' bounds:\n" + report);
    }

    static void check(String what, Bounds b, BigDecimal published, StringBuilder report) {
        report.append(String.format("  %-28s published %8s  bounds %10s .. %10s%n", what, published.toPlainString(),
                b.low().round(new MathContext(4)).toPlainString(), b.high().round(new MathContext(4)).toPlainString()));
        assertTrue(b.contains(published), what + ": published " + published + " outside " + b);
        // the bounds say something: together narrower than the figure itself
        assertTrue(b.high().subtract(b.low()).compareTo(published) < 0, what + ": " + b + " is wider than the figure itself");
    }
}
