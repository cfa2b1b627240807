package io.carbonstream.events;

import java.math.BigDecimal;

/**
 * The low and the high end of a figure: the same figure worked out with every input at the low end of its range, and
 * with every input at its high end (docs/methodology.md, "Uncertainty"). Sums of bounds are exact, like the figures
 * themselves, and so do not depend on the order batches arrive in.
 *
 * @param low  the figure with every input at its lowest
 * @param high the figure with every input at its highest
 */
public record Bounds(BigDecimal low, BigDecimal high) {

    /** A figure known exactly: both ends are the figure itself. */
    public static Bounds exactly(BigDecimal value) {
        return new Bounds(value, value);
    }

    /** {@code value} x (1 - share) .. {@code value} x (1 + share): a relative tolerance, exact. */
    public static Bounds relative(BigDecimal value, BigDecimal share) {
        return new Bounds(value.subtract(value.multiply(share)), value.add(value.multiply(share)));
    }

    public Bounds plus(Bounds o) {
        return new Bounds(low.add(o.low), high.add(o.high));
    }

    public Bounds minus(Bounds o) {
        return new Bounds(low.subtract(o.low), high.subtract(o.high));
    }

    /** Interval product of two figures that are never negative: the low is the product of the lows. */
    public Bounds times(Bounds o) {
        return new Bounds(low.multiply(o.low), high.multiply(o.high));
    }

    /** Both ends clamped into {@code min}..{@code max}. */
    public Bounds within(BigDecimal min, BigDecimal max) {
        return new Bounds(low.max(min).min(max), high.max(min).min(max));
    }

    /** Whether {@code value} lies between the ends (inclusive). */
    public boolean contains(BigDecimal value) {
        return low.compareTo(value) <= 0 && value.compareTo(high) <= 0;
    }
}
