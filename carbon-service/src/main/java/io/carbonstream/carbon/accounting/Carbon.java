package io.carbonstream.carbon.accounting;

import io.carbonstream.events.Energy;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The carbon arithmetic, exact until a figure is shown:
 * <pre>
 *   facility [J]               = IT [J] x PUE                                      exact
 *   carbon integral [J g/kWh]  = facility [J] x intensity [gCO2e/kWh]              exact, summed over batches
 *   operational [g]            = carbon integral / 3.6e6 [J/kWh]                   rounded half-even to 1 ng when shown
 *   embodied integral [g s]    = accelerators x busy seconds x grams per accelerator   exact, summed over batches
 *   embodied [g]               = embodied integral / lifetime seconds              rounded half-even to 1 ng when shown
 * </pre>
 * Products of finite decimals are finite decimals, so nothing is rounded before the one division; totals are
 * therefore the same however batches (and idle adjustments) are split and ordered.
 */
public final class Carbon {

    /** Decimal places of grams CO2e when shown: 9, one nanogram. */
    public static final int GRAMS_SCALE = 9;

    private Carbon() {
    }

    public static BigDecimal facilityJoules(BigDecimal itJoules, BigDecimal pue) {
        return itJoules.multiply(pue);
    }

    /** facility joules x grams per kWh: grams x 3.6e6, kept exact. */
    public static BigDecimal carbonIntegral(BigDecimal facilityJoules, BigDecimal gCo2ePerKWh) {
        return facilityJoules.multiply(gCo2ePerKWh);
    }

    /** Grams CO2e of a carbon integral, to 1 ng. */
    public static BigDecimal grams(BigDecimal carbonIntegral) {
        return carbonIntegral.divide(Energy.JOULES_PER_KWH, GRAMS_SCALE, RoundingMode.HALF_EVEN);
    }

    /** Accelerator-seconds x grams per accelerator: embodied grams x lifetime seconds, kept exact. */
    public static BigDecimal embodiedIntegral(int accelerators, java.time.Duration busy, BigDecimal gramsPerDevice) {
        return BigDecimal.valueOf(busy.toNanos(), 9).multiply(BigDecimal.valueOf(accelerators)).multiply(gramsPerDevice);
    }

    /** Embodied grams CO2e of an embodied integral, to 1 ng. */
    public static BigDecimal embodiedGrams(BigDecimal embodiedIntegral, long lifetimeSeconds) {
        return embodiedIntegral.divide(BigDecimal.valueOf(lifetimeSeconds), GRAMS_SCALE, RoundingMode.HALF_EVEN);
    }

    /** Joules as kilowatt-hours, to 1e-12 kWh (3.6 microjoules). */
    public static BigDecimal kWh(BigDecimal joules) {
        return joules.divide(Energy.JOULES_PER_KWH, 12, RoundingMode.HALF_EVEN);
    }
}
