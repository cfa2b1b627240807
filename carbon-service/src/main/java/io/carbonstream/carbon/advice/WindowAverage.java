package io.carbonstream.carbon.advice;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The time-weighted average grid intensity of a zone over [start, end): exact, piecewise between the instants
 * where the applicable value can change (observation starts and ends), each piece charged the value that applies
 * at its start.
 */
public final class WindowAverage {

    private WindowAverage() {
    }

    /**
     * @param breakpoints instants where the applicable value may change (others are ignored)
     * @param valueAt     the intensity that applies at an instant, empty where none does
     * @return the average in gCO2e/kWh, or empty when some part of the window has no value
     */
    public static Optional<BigDecimal> of(Instant start, Instant end, Collection<Instant> breakpoints,
                                          Function<Instant, Optional<BigDecimal>> valueAt) {
        TreeSet<Instant> cuts = new TreeSet<>(breakpoints);
        cuts.add(start);
        cuts.add(end);
        BigDecimal weighted = BigDecimal.ZERO;
        Instant previous = null;
        for (Instant cut : cuts.subSet(start, true, end, true)) {
            if (previous != null) {
                Optional<BigDecimal> value = valueAt.apply(previous);
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                weighted = weighted.add(value.get().multiply(BigDecimal.valueOf(Duration.between(previous, cut).toMillis())));
            }
            previous = cut;
        }
        return Optional.of(weighted.divide(BigDecimal.valueOf(Duration.between(start, end).toMillis()), MathContext.DECIMAL64));
    }
}
