package io.carbonstream.carbon.accounting;

import io.carbonstream.events.Bounds;
import io.carbonstream.events.DataQuality;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.events.Scope2;
import io.carbonstream.events.Uncertainty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The exact sums behind a figure's bounds and data quality: the low and high ends of IT energy, facility energy and
 * the two carbon integrals, and the facility joules per energy method and carbon integral per intensity basis. Like
 * the totals, they are sums over batches, so they add and subtract exactly and do not depend on arrival order.
 * Figures written before bounds existed count as exact (both ends at the figure) with an unclassified quality.
 */
public record Spread(Bounds itEnergyJoules, Bounds facilityEnergyJoules, Bounds carbonIntegral, Bounds embodiedIntegral,
                     Map<EnergyMethod, BigDecimal> facilityByMethod, Map<IntensityBasis, BigDecimal> integralByBasis,
                     BigDecimal marketIntegral, Bounds marketIntegralBounds, BigDecimal fallbackIntegral,
                     SortedSet<String> instruments) {

    /** Decimal places of a data-quality share. */
    public static final int SHARE_SCALE = 6;

    public Spread {
        facilityByMethod = facilityByMethod == null ? Map.of() : facilityByMethod;
        integralByBasis = integralByBasis == null ? Map.of() : integralByBasis;
        marketIntegral = marketIntegral == null ? BigDecimal.ZERO : marketIntegral;
        marketIntegralBounds = marketIntegralBounds == null ? Bounds.exactly(BigDecimal.ZERO) : marketIntegralBounds;
        fallbackIntegral = fallbackIntegral == null ? BigDecimal.ZERO : fallbackIntegral;
        instruments = instruments == null ? Collections.emptySortedSet() : instruments;
    }

    /** Location-based sums only; market-based equal to them, all of it charged at location-based intensity. */
    public Spread(Bounds itEnergyJoules, Bounds facilityEnergyJoules, Bounds carbonIntegral, Bounds embodiedIntegral,
                  Map<EnergyMethod, BigDecimal> facilityByMethod, Map<IntensityBasis, BigDecimal> integralByBasis,
                  BigDecimal integral) {
        this(itEnergyJoules, facilityEnergyJoules, carbonIntegral, embodiedIntegral, facilityByMethod, integralByBasis,
                integral, carbonIntegral, integral, null);
    }

    /**
     * Figures known exactly, with nothing classified and no market instrument: what a total written before bounds
     * existed stands for.
     */
    public static Spread exactly(BigDecimal it, BigDecimal facility, BigDecimal integral, BigDecimal embodied) {
        return new Spread(Bounds.exactly(it), Bounds.exactly(facility), Bounds.exactly(integral), Bounds.exactly(embodied),
                Map.of(), Map.of(), integral);
    }

    /** The sums a footprint publishes; for one written before bounds existed, its figures taken as exact. */
    public static Spread of(FootprintEvent f) {
        if (f == null) {
            return exactly(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
        }
        return of(f.uncertainty(), f.dataQuality(), f.scope2(), f.itEnergyJoules().total(), f.facilityEnergyJoules(),
                f.carbonIntegral(), f.embodiedIntegral());
    }

    /** The sums a roll-up publishes; for one written before bounds existed, its figures taken as exact. */
    public static Spread of(RollupEvent r) {
        return of(r.uncertainty(), r.dataQuality(), r.scope2(), r.itEnergyJoules(), r.facilityEnergyJoules(),
                r.carbonIntegral(), r.embodiedIntegral());
    }

    private static Spread of(Uncertainty u, DataQuality q, Scope2 m, BigDecimal it, BigDecimal facility, BigDecimal integral,
                             BigDecimal embodied) {
        Spread s = u == null ? exactly(it, facility, integral, embodied)
                : new Spread(u.itEnergyJoules(), u.facilityEnergyJoules(), u.carbonIntegral(), u.embodiedIntegral(),
                Map.of(), Map.of(), integral);
        return new Spread(s.itEnergyJoules, s.facilityEnergyJoules, s.carbonIntegral, s.embodiedIntegral,
                q == null ? Map.of() : q.facilityEnergyJoules(), q == null ? Map.of() : q.carbonIntegral(),
                m == null ? s.marketIntegral : m.marketBasedCarbonIntegral(),
                m == null ? s.marketIntegralBounds : m.marketBasedCarbonIntegralBounds(),
                m == null ? s.fallbackIntegral : m.locationFallbackCarbonIntegral(),
                m == null ? null : new TreeSet<>(m.instruments()));
    }

    public Spread plus(Spread o) {
        return new Spread(itEnergyJoules.plus(o.itEnergyJoules), facilityEnergyJoules.plus(o.facilityEnergyJoules),
                carbonIntegral.plus(o.carbonIntegral), embodiedIntegral.plus(o.embodiedIntegral),
                merge(facilityByMethod, o.facilityByMethod, EnergyMethod.class, false),
                merge(integralByBasis, o.integralByBasis, IntensityBasis.class, false),
                marketIntegral.add(o.marketIntegral), marketIntegralBounds.plus(o.marketIntegralBounds),
                fallbackIntegral.add(o.fallbackIntegral), union(instruments, o.instruments));
    }

    private static SortedSet<String> union(SortedSet<String> a, SortedSet<String> b) {
        if (b.isEmpty() || a.containsAll(b)) {
            return a;
        }
        SortedSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    public Spread minus(Spread o) {
        return new Spread(itEnergyJoules.minus(o.itEnergyJoules), facilityEnergyJoules.minus(o.facilityEnergyJoules),
                carbonIntegral.minus(o.carbonIntegral), embodiedIntegral.minus(o.embodiedIntegral),
                merge(facilityByMethod, o.facilityByMethod, EnergyMethod.class, true),
                merge(integralByBasis, o.integralByBasis, IntensityBasis.class, true),
                marketIntegral.subtract(o.marketIntegral), marketIntegralBounds.minus(o.marketIntegralBounds),
                fallbackIntegral.subtract(o.fallbackIntegral), instruments);
    }

    /**
     * Location-based and market-based Scope 2 to publish, beside {@code locationGrams} (the figure's operational
     * CO2e); grams derived from the integrals as the figures' grams are. A change's instruments are those of the
     * figure after it: a set only grows, and adding it again changes nothing.
     */
    public Scope2 scope2(BigDecimal locationGrams) {
        return new Scope2(locationGrams, Carbon.grams(marketIntegral), marketIntegral,
                new Bounds(Carbon.grams(marketIntegralBounds.low()), Carbon.grams(marketIntegralBounds.high())),
                marketIntegralBounds, fallbackIntegral,
                marketIntegral.signum() == 0 ? null : fallbackIntegral.divide(marketIntegral, SHARE_SCALE, RoundingMode.HALF_EVEN),
                List.copyOf(instruments));
    }

    /** The bounds to publish, grams derived from the integrals as the figures' grams are ({@link Carbon}). */
    public Uncertainty uncertainty(long lifetimeSeconds) {
        return new Uncertainty(itEnergyJoules, facilityEnergyJoules, carbonIntegral,
                new Bounds(Carbon.grams(carbonIntegral.low()), Carbon.grams(carbonIntegral.high())), embodiedIntegral,
                new Bounds(Carbon.embodiedGrams(embodiedIntegral.low(), lifetimeSeconds),
                        Carbon.embodiedGrams(embodiedIntegral.high(), lifetimeSeconds)));
    }

    /** The data quality to publish: the sums, and their shares of the figures' own totals. */
    public DataQuality quality(BigDecimal facilityTotal, BigDecimal integralTotal) {
        return new DataQuality(facilityByMethod, shares(facilityByMethod, facilityTotal, EnergyMethod.class),
                integralByBasis, shares(integralByBasis, integralTotal, IntensityBasis.class));
    }

    private static <K extends Enum<K>> Map<K, BigDecimal> shares(Map<K, BigDecimal> parts, BigDecimal total, Class<K> type) {
        Map<K, BigDecimal> shares = new EnumMap<>(type);
        if (total.signum() != 0) {
            parts.forEach((k, v) -> shares.put(k, v.divide(total, SHARE_SCALE, RoundingMode.HALF_EVEN)));
        }
        return shares;
    }

    private static <K extends Enum<K>> Map<K, BigDecimal> merge(Map<K, BigDecimal> a, Map<K, BigDecimal> b, Class<K> type,
                                                               boolean subtract) {
        Map<K, BigDecimal> sum = new EnumMap<>(type);
        sum.putAll(a);
        b.forEach((k, v) -> sum.merge(k, subtract ? v.negate() : v, BigDecimal::add));
        // a class whose share went back to exactly nothing (a delta's before and after alike) is left out
        sum.values().removeIf(v -> v.signum() == 0);
        return sum;
    }
}
