package io.carbonstream.carbon.accounting;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a job's batches whose midpoints fall in one minute added: exact sums, so a timeline built from buckets is
 * the same whatever order batches arrived in.
 */
public record TimelineBucket(Instant from, long batches, long tokens, BigDecimal itEnergyJoules,
                             BigDecimal facilityEnergyJoules, BigDecimal carbonIntegral, BigDecimal embodiedIntegral,
                             Spread spread) {

    /** A bucket written before bounds existed carries none: its figures count as exact. */
    public TimelineBucket {
        spread = spread != null ? spread : Spread.exactly(itEnergyJoules, facilityEnergyJoules, carbonIntegral, embodiedIntegral);
    }

    public TimelineBucket(Instant from, long batches, long tokens, BigDecimal itEnergyJoules,
                          BigDecimal facilityEnergyJoules, BigDecimal carbonIntegral, BigDecimal embodiedIntegral) {
        this(from, batches, tokens, itEnergyJoules, facilityEnergyJoules, carbonIntegral, embodiedIntegral, null);
    }

    public TimelineBucket plus(Rollups.Delta d) {
        return new TimelineBucket(from, batches + d.batches(), tokens + d.tokens(), itEnergyJoules.add(d.itEnergyJoules()),
                facilityEnergyJoules.add(d.facilityEnergyJoules()), carbonIntegral.add(d.carbonIntegral()),
                embodiedIntegral.add(d.embodiedIntegral()), spread.plus(d.spread()));
    }

    public TimelineBucket plus(TimelineBucket o) {
        return new TimelineBucket(from, batches + o.batches, tokens + o.tokens, itEnergyJoules.add(o.itEnergyJoules),
                facilityEnergyJoules.add(o.facilityEnergyJoules), carbonIntegral.add(o.carbonIntegral),
                embodiedIntegral.add(o.embodiedIntegral), spread.plus(o.spread));
    }

    public static TimelineBucket empty(Instant from) {
        return new TimelineBucket(from, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    }
}
