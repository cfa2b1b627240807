package io.carbonstream.telemetry.power;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a power curve to measured (utilisation, watts) samples: a least-squares polynomial of degree 2 (degree 1
 * when the samples have only two distinct utilisations), evaluated at u = 0, 0.1, ..., 1, clamped at 0 W and
 * made non-decreasing (a device does not draw less at higher load), rounded to 1 mW.
 */
public final class CurveFit {

    /** Samples must reach down to this utilisation ... */
    public static final double LOWEST_REQUIRED = 0.2;
    /** ... and up to this one, so that idle and max power are interpolated rather than extrapolated far. */
    public static final double HIGHEST_REQUIRED = 0.8;

    private CurveFit() {
    }

    /** The fitted points, 11 of them from u = 0 to u = 1. */
    public static List<PowerPoint> fit(List<PowerPoint> samples) {
        long distinct = samples.stream().map(p -> p.utilization().stripTrailingZeros()).distinct().count();
        if (distinct < 2) {
            throw new IllegalArgumentException("samples need at least two different utilizations");
        }
        double[] c = leastSquares(samples, distinct >= 3 ? 2 : 1);
        List<PowerPoint> points = new ArrayList<>();
        BigDecimal floor = BigDecimal.ZERO;
        for (int i = 0; i <= 10; i++) {
            double u = i / 10.0;
            double w = c[0] + c[1] * u + (c.length > 2 ? c[2] * u * u : 0);
            BigDecimal watts = BigDecimal.valueOf(Math.max(0, w)).setScale(3, RoundingMode.HALF_EVEN).max(floor);
            floor = watts;
            points.add(new PowerPoint(BigDecimal.valueOf(i, 1), watts));
        }
        return points;
    }

    /**
     * The relative range a fitted curve is charged with at a reported utilisation: the instrument's accuracy plus
     * the curve's largest relative residual over the samples, |measured - curve(u)| / curve(u), rounded up to 6
     * decimals and at most 1. A sample the curve puts at 0 W counts 1 unless it measured 0 W too. The largest
     * residual, not a mean one, because a batch may run at the utilisation where the fit is worst.
     */
    public static BigDecimal tolerance(List<PowerPoint> samples, List<PowerPoint> curve, BigDecimal accuracy) {
        HardwareProfile fitted = new HardwareProfile("fit", 0, HardwareKind.ACCELERATOR, "fit", curve.get(0).watts(),
                curve.get(curve.size() - 1).watts(), curve, "");
        BigDecimal worst = BigDecimal.ZERO;
        for (PowerPoint p : samples) {
            BigDecimal predicted = fitted.wattsAt(p.utilization());
            BigDecimal residual;
            if (predicted.signum() == 0) {
                residual = p.watts().signum() == 0 ? BigDecimal.ZERO : BigDecimal.ONE;
            } else {
                residual = p.watts().subtract(predicted).abs().divide(predicted, 6, RoundingMode.UP);
            }
            worst = worst.max(residual);
        }
        return worst.add(accuracy).min(BigDecimal.ONE).setScale(6, RoundingMode.UP);
    }

    /** Coefficients c0..cd of the polynomial minimising the squared error (normal equations, Gaussian elimination). */
    static double[] leastSquares(List<PowerPoint> samples, int degree) {
        int n = degree + 1;
        double[][] a = new double[n][n + 1];
        for (PowerPoint p : samples) {
            double u = p.utilization().doubleValue();
            double w = p.watts().doubleValue();
            double[] powers = new double[2 * n];
            powers[0] = 1;
            for (int k = 1; k < powers.length; k++) {
                powers[k] = powers[k - 1] * u;
            }
            for (int r = 0; r < n; r++) {
                for (int col = 0; col < n; col++) {
                    a[r][col] += powers[r + col];
                }
                a[r][n] += powers[r] * w;
            }
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int k = col; k <= n; k++) {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
        double[] c = new double[n];
        for (int r = 0; r < n; r++) {
            c[r] = a[r][n] / a[r][r];
        }
        return c;
    }
}
