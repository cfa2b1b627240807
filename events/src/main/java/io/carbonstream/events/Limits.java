package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The bounds every door applies, REST and Kafka alike, so that nothing one door accepts can fail further down the
 * pipeline. Each bound is far beyond any real training run and far inside what the arithmetic, the JSON mapping and
 * PostgreSQL can hold.
 */
public final class Limits {

    /** Earliest instant any event or request may carry: 2000-01-01. PostgreSQL, Java and JSON all hold it exactly. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** Latest instant any event or request may carry: 2100-01-01 (forecasts and planned runs included). */
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    /*
     * Text limits. Each is also the length of the PostgreSQL columns that hold such text (VARCHAR(n), counted in
     * characters as Java counts them for text without surrogate pairs); each service's ColumnLimitsTest compares
     * its schema with these numbers.
     */
    /** Longest id accepted for jobs, tenants, workers, hardware, data centres and grid zones on the topics. */
    public static final int MAX_ID_LENGTH = 128;
    /** Longest zone of a data centre (PostgreSQL {@code datacenter.zone}): zone codes are short (DE, US-CAL-CISO). */
    public static final int MAX_ZONE_LENGTH = 64;
    /** Longest human-readable name: of a job, a model, a hardware profile, a data centre, who set a budget. */
    public static final int MAX_TEXT_LENGTH = 256;
    /** Longest statement of where figures come from (a profile's sources, a data centre's or a PUE row's source). */
    public static final int MAX_SOURCE_LENGTH = 4096;
    /** Longest name of an enumerated value kept in a column (a phase, a state, a hardware kind). */
    public static final int MAX_ENUM_LENGTH = 16;

    /**
     * Largest magnitude of any JSON number read as an exact decimal: 10^64. Larger exponents ({@code 1e999999999})
     * are refused while reading, before anything could print or multiply them.
     */
    public static final int MAX_DECIMAL_INTEGER_DIGITS = 64;
    /** Most digits after the decimal point of any exact decimal read from JSON. */
    public static final int MAX_DECIMAL_SCALE = 64;
    /** Longest JSON string value read at all (1 MiB); every valid string is far shorter. */
    public static final int MAX_JSON_STRING_LENGTH = 1 << 20;

    /** Most floating-point operations one batch may report: 10^30, a million times a frontier model's whole run. */
    public static final BigDecimal MAX_FLOPS = new BigDecimal("1e30");
    /** Most joules of any one component of one batch: 10^15 J, about 280 GWh. */
    public static final BigDecimal MAX_ENERGY_JOULES = new BigDecimal("1e15");
    /** Largest carbon budget, in g CO2e (a million tonnes: beyond any training run). */
    public static final BigDecimal MAX_BUDGET_GRAMS = new BigDecimal("1e12");
    /** Highest grid intensity accepted: 5000 gCO2e/kWh, several times the dirtiest grid (lignite, about 1200). */
    public static final BigDecimal MAX_GCO2E_PER_KWH = new BigDecimal("5000");
    /** Highest average power one batch may carry in its energy event: 1 GW. */
    public static final double MAX_AVERAGE_POWER_WATTS = 1e9;
    /** Most samples or tokens one batch may report: 10^15. */
    public static final long MAX_COUNT = 1_000_000_000_000_000L;

    private Limits() {
    }

    /** Whether an instant lies in {@link #EARLIEST}..{@link #LATEST}. */
    public static boolean inRange(Instant t) {
        return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
    }

    /**
     * Why an exact decimal is beyond {@link #MAX_DECIMAL_INTEGER_DIGITS} or {@link #MAX_DECIMAL_SCALE}, or null when it
     * is within both: the one check of JSON numbers and query parameters alike.
     */
    public static String decimalProblem(BigDecimal value) {
        if ((long) value.precision() - value.scale() > MAX_DECIMAL_INTEGER_DIGITS) {
            return "is too large: at most " + MAX_DECIMAL_INTEGER_DIGITS + " digits before the decimal point are accepted";
        }
        if (value.scale() > MAX_DECIMAL_SCALE) {
            return "has too many decimal places: at most " + MAX_DECIMAL_SCALE + " are accepted";
        }
        return null;
    }

    /** The message of an instant outside the range. */
    public static String outOfRange(Instant t) {
        return "must be between " + EARLIEST + " and " + LATEST + ", was " + t;
    }
}
