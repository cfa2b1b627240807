package io.carbonstream.carbon.accounting;

import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.Uncertainty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a job's timeline: what the period added, and the totals at its end.
 *
 * @param averageGCo2ePerKWh the intensity effectively applied in the period (its carbon integral over its facility
 *                           energy, to 3 decimals); null for a period without facility energy
 * @param operationalGCo2eBounds           the low and high ends of the period's operational CO2e
 * @param cumulativeOperationalGCo2eBounds the low and high ends of the total at the period's end
 * @param embodiedGCo2eBounds              the low and high ends of the period's embodied CO2e
 * @param cumulativeEmbodiedGCo2eBounds    the low and high ends of the embodied total at the period's end
 * @param marketBasedGCo2e                 the period's operational CO2e, market-based (Scope 2)
 * @param cumulativeMarketBasedGCo2e       the market-based total at the period's end
 */
public record TimelinePoint(Instant from, Instant to, long batches, BigDecimal itEnergyJoules,
                            BigDecimal operationalGCo2e, BigDecimal embodiedGCo2e,
                            BigDecimal cumulativeItEnergyJoules, BigDecimal cumulativeOperationalGCo2e,
                            BigDecimal cumulativeEmbodiedGCo2e, BigDecimal facilityEnergyJoules,
                            BigDecimal cumulativeFacilityEnergyJoules, BigDecimal averageGCo2ePerKWh,
                            Bounds operationalGCo2eBounds, Bounds cumulativeOperationalGCo2eBounds,
                            Bounds embodiedGCo2eBounds, Bounds cumulativeEmbodiedGCo2eBounds,
                            BigDecimal marketBasedGCo2e, BigDecimal cumulativeMarketBasedGCo2e) {

    /**
     * A job's minute buckets, oldest first, in periods of {@code step} (a whole number of minutes): each period the
     * exact sum of the buckets that start in it, periods aligned to multiples of {@code step} since the epoch, grams
     * derived from the sums (so the timeline never depends on the order batches arrived in).
     */
    public static List<TimelinePoint> of(List<TimelineBucket> minutes, Duration step) {
        Map<Instant, TimelineBucket> periods = new LinkedHashMap<>();
        long stepSeconds = step.getSeconds();
        for (TimelineBucket b : minutes) {
            Instant start = Instant.ofEpochSecond(Math.floorDiv(b.from().getEpochSecond(), stepSeconds) * stepSeconds);
            periods.merge(start, new TimelineBucket(start, b.batches(), b.tokens(), b.itEnergyJoules(),
                    b.facilityEnergyJoules(), b.carbonIntegral(), b.embodiedIntegral(), b.spread()), TimelineBucket::plus);
        }
        List<TimelinePoint> points = new ArrayList<>();
        TimelineBucket total = TimelineBucket.empty(Instant.EPOCH);
        long lifetime = StaticTables.LIFETIME_SECONDS;
        for (TimelineBucket b : periods.values()) {
            total = total.plus(b);
            Uncertainty period = b.spread().uncertainty(lifetime);
            Uncertainty cumulative = total.spread().uncertainty(lifetime);
            points.add(new TimelinePoint(b.from(), b.from().plus(step), b.batches(), b.itEnergyJoules(),
                    Carbon.grams(b.carbonIntegral()), Carbon.embodiedGrams(b.embodiedIntegral(), lifetime),
                    total.itEnergyJoules(), Carbon.grams(total.carbonIntegral()),
                    Carbon.embodiedGrams(total.embodiedIntegral(), lifetime),
                    b.facilityEnergyJoules(), total.facilityEnergyJoules(),
                    b.facilityEnergyJoules().signum() == 0 ? null
                            : b.carbonIntegral().divide(b.facilityEnergyJoules(), 3, RoundingMode.HALF_EVEN),
                    period.operationalGCo2e(), cumulative.operationalGCo2e(), period.embodiedGCo2e(), cumulative.embodiedGCo2e(),
                    Carbon.grams(b.spread().marketIntegral()), Carbon.grams(total.spread().marketIntegral())));
        }
        return points;
    }
}
