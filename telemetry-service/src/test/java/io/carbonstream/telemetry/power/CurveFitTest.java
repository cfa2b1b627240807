package io.carbonstream.telemetry.power;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CurveFitTest {

    static PowerPoint p(String u, String w) {
        return new PowerPoint(new BigDecimal(u), new BigDecimal(w));
    }

    static void assertWatts(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " W but was " + actual);
    }

    @Test
    void pointsOnAQuadraticAreFittedToThatQuadratic() {
        // P(u) = 60 + 200 u + 140 u^2: 60 W idle, 400 W at full load
        List<PowerPoint> samples = new ArrayList<>();
        for (String u : List.of("0.05", "0.2", "0.35", "0.5", "0.65", "0.8", "0.95")) {
            double x = Double.parseDouble(u);
            samples.add(new PowerPoint(new BigDecimal(u), BigDecimal.valueOf(60 + 200 * x + 140 * x * x)));
        }
        List<PowerPoint> curve = CurveFit.fit(samples);
        assertEquals(11, curve.size());
        assertWatts("60.000", curve.get(0).watts());
        assertWatts("81.400", curve.get(1).watts()); // 60 + 20 + 1.4
        assertWatts("195.000", curve.get(5).watts()); // 60 + 100 + 35
        assertWatts("400.000", curve.get(10).watts());
    }

    @Test
    void twoDistinctUtilizationsGiveAStraightLine() {
        List<PowerPoint> curve = CurveFit.fit(List.of(p("0.1", "80"), p("0.1", "80"), p("0.9", "240")));
        assertWatts("60.000", curve.get(0).watts());
        assertWatts("260.000", curve.get(10).watts());
    }

    @Test
    void aFittedCurveNeverFallsWithLoadNorGoesBelowZero() {
        // a dip in the middle of noisy samples does not make power fall with load
        List<PowerPoint> curve = CurveFit.fit(List.of(p("0", "100"), p("0.5", "40"), p("1", "110")));
        for (int i = 1; i < curve.size(); i++) {
            assertEquals(true, curve.get(i).watts().compareTo(curve.get(i - 1).watts()) >= 0, curve.toString());
            assertEquals(true, curve.get(i).watts().signum() >= 0);
        }
    }

    @Test
    void aProfileWithACurveInterpolatesBetweenItsPoints() {
        HardwareProfile profile = new HardwareProfile("x", 2, HardwareKind.ACCELERATOR, "x", new BigDecimal("60"),
                new BigDecimal("400"), CurveFit.fit(List.of(p("0", "60"), p("0.5", "195"), p("1", "400"),
                p("0.25", "118.75"), p("0.75", "288.75"))), "test");
        // halfway between the points at 0.2 (105.6 W) and 0.3 (132.6 W) of P(u) = 60 + 200u + 140u^2
        assertWatts("119.1", profile.wattsAt(new BigDecimal("0.25")));
        assertWatts("400", profile.wattsAt(BigDecimal.ONE));
    }

    @Test
    void oneUtilizationIsNotEnoughToFit() {
        assertThrows(IllegalArgumentException.class, () -> CurveFit.fit(List.of(p("0.5", "1"), p("0.5", "2"), p("0.5", "3"))));
    }

    @Test
    void aFitsToleranceIsTheInstrumentsAccuracyPlusItsLargestRelativeResidual() {
        // two utilisations: the line through the means, 105 W at u = 0.1 and 300 W at u = 0.9; the samples at 0.1
        // are 5 W off 105 W: 5 / 105 = 0.0476190..., rounded up to 0.047620
        List<PowerPoint> samples = List.of(p("0.1", "100"), p("0.1", "110"), p("0.9", "300"), p("0.9", "300"));
        List<PowerPoint> curve = CurveFit.fit(samples);
        assertWatts("105.000", new HardwareProfile("x", 1, HardwareKind.ACCELERATOR, "x", curve.get(0).watts(),
                curve.get(10).watts(), curve, "test").wattsAt(new BigDecimal("0.1")));
        assertEquals(new BigDecimal("0.097620"), CurveFit.tolerance(samples, curve, new BigDecimal("0.05")));
        assertEquals(new BigDecimal("0.057620"), CurveFit.tolerance(samples, curve, new BigDecimal("0.01")));
        // samples on the curve leave the instrument's accuracy alone
        List<PowerPoint> exact = List.of(p("0.1", "80"), p("0.5", "120"), p("0.9", "160"));
        assertEquals(new BigDecimal("0.010000"), CurveFit.tolerance(exact, CurveFit.fit(exact), new BigDecimal("0.01")));
        // a fit that is off by more than the whole value is charged at most +/- 100 %
        List<PowerPoint> wild = List.of(p("0", "0"), p("0", "0"), p("0", "0"), p("0.5", "0"), p("1", "0.002"), p("0.05", "50"));
        assertEquals(new BigDecimal("1.000000"), CurveFit.tolerance(wild, CurveFit.fit(wild), new BigDecimal("0.05")));
    }
}
