package io.carbonstream.carbon.accounting;

import io.carbonstream.events.Energy;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The carbon arithmetic of one batch, exact and rounded once per figure:
 * <pre>
 *   facility [J]      = IT [J] x PUE                                  rounded half-even to 1 microjoule
 *   operational [g]   = facility [J] / 3.6e6 [J/kWh] x intensity [g/kWh]   rounded half-even to 1 ng
 * </pre>
 */
public final class Carbon {

    /** Decimal places of grams CO2e: 9, one nanogram. */
    public static final int GRAMS_SCALE = 9;

    private Carbon() {
    }

    public static BigDecimal facilityJoules(BigDecimal itJoules, BigDecimal pue) {
        return itJoules.multiply(pue).setScale(Energy.SCALE, RoundingMode.HALF_EVEN);
    }

    public static BigDecimal operationalGrams(BigDecimal facilityJoules, BigDecimal gCo2ePerKWh) {
        return facilityJoules.multiply(gCo2ePerKWh).divide(Energy.JOULES_PER_KWH, GRAMS_SCALE, RoundingMode.HALF_EVEN);
    }

    /** Joules as kilowatt-hours, to 1e-12 kWh (3.6 microjoules). */
    public static BigDecimal kWh(BigDecimal joules) {
        return joules.divide(Energy.JOULES_PER_KWH, 12, RoundingMode.HALF_EVEN);
    }
}
