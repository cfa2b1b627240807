package io.carbonstream.carbon.grid;

import java.math.BigDecimal;

/**
 * The one range of PUE that carbonstream accepts, for a data centre's PUE rows, an estimate and a what-if: 1 (no
 * overhead at all) to 3 (even old enterprise rooms stay below it).
 */
public final class PueRange {

    /** Lowest PUE accepted: every joule of IT energy is at least one joule at the meter. */
    public static final BigDecimal MIN = BigDecimal.ONE;
    /** Highest PUE accepted. */
    public static final BigDecimal MAX = new BigDecimal("3");

    private PueRange() {
    }

    /** Why {@code pue} is out of range ({@code "must be in 1..3, was 3.5"}), or null when it is in it. */
    public static String violation(BigDecimal pue) {
        return pue.compareTo(MIN) < 0 || pue.compareTo(MAX) > 0
                ? "must be in " + MIN.toPlainString() + ".." + MAX.toPlainString() + ", was " + pue.toPlainString()
                : null;
    }
}
