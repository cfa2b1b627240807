package io.carbonstream.carbon.grid;

import io.carbonstream.events.Bounds;
import io.carbonstream.events.IntensityBasis;

import java.math.BigDecimal;

/**
 * The ranges carbon-service charges around a PUE, a grid intensity and a manufacturing footprint when nothing more
 * specific is known: a data centre's stated PUE range, a zone's published spread over the year
 * ({@code carbonstream/static-intensity-ranges.csv}) and the spread of published estimates per accelerator
 * ({@code carbonstream/embodied-ranges.csv}) come first. docs/methodology.md, "Uncertainty", gives each reason.
 */
public final class Ranges {

    /**
     * A PUE without a stated range: its overhead (PUE - 1) +/- 50 %. A published PUE is usually a fleet's or a
     * campus's trailing-twelve-month average; the quarter and the site a job runs in differ from it, and what differs
     * is the overhead (cooling, power distribution), never the IT energy itself. Google's campuses, for one, ranged
     * from 1.04 to 1.14 by quarter around a fleet near 1.09 (google.com/about/datacenters/efficiency, as reproduced
     * on 2025-10-16 in github.com/emielkwakkel/sustainable-ai docs/pue-data.md): overhead 0.09 +/- about 50 %.
     */
    public static final BigDecimal PUE_OVERHEAD = new BigDecimal("0.5");

    /**
     * A provider's actual value for the hour: +/- 10 %. No provider publishes the accuracy of its actual values;
     * carbonstream's default.
     */
    public static final BigDecimal LIVE = new BigDecimal("0.10");
    /** A provider's estimated value: +/- 20 %. carbonstream's default. */
    public static final BigDecimal ESTIMATED = new BigDecimal("0.20");
    /**
     * A forecast: +/- 30 %. The GB forecasts of National Grid ESO were off by 7.1 % on average (mean absolute
     * percentage error), with a standard deviation of 29 %, from September 2017 to March 2023 (N. Mullin-Parsons,
     * nickmp.com/posts/carbon-intensity-forecast-tracking): about one standard deviation.
     */
    public static final BigDecimal FORECAST = new BigDecimal("0.30");
    /** A value entered by an operator or from a file: +/- 10 %, as a provider's actual value. carbonstream's default. */
    public static final BigDecimal MANUAL = new BigDecimal("0.10");
    /**
     * A zone's static annual average where its spread over the year is not in the bundled table: +/- 50 %.
     * carbonstream's default.
     */
    public static final BigDecimal STATIC = new BigDecimal("0.50");
    /**
     * A manufacturing footprint without a published spread of its own (embodied-ranges.csv holds the published ones):
     * +/- 50 %. carbonstream's default.
     */
    public static final BigDecimal EMBODIED = new BigDecimal("0.50");

    private Ranges() {
    }

    /** The stated range {@code low..high}, or the default one around {@code pue} when none was stated. */
    public static Bounds pue(BigDecimal pue, BigDecimal low, BigDecimal high) {
        if (low != null && high != null) {
            return new Bounds(low, high);
        }
        BigDecimal overhead = pue.subtract(BigDecimal.ONE).multiply(PUE_OVERHEAD);
        return new Bounds(pue.subtract(overhead), pue.add(overhead));
    }

    /** The relative tolerance of an intensity of this basis (a static average's comes from its zone's spread). */
    public static BigDecimal tolerance(IntensityBasis basis) {
        return switch (basis) {
            case LIVE -> LIVE;
            case ESTIMATED -> ESTIMATED;
            case FORECAST -> FORECAST;
            case MANUAL -> MANUAL;
            case STATIC -> STATIC;
        };
    }

    /** An observation's range: its value within its basis's tolerance, never below 0. */
    public static Bounds intensity(BigDecimal gCo2ePerKWh, IntensityBasis basis) {
        Bounds b = Bounds.relative(gCo2ePerKWh, tolerance(basis));
        return new Bounds(b.low().max(BigDecimal.ZERO), b.high());
    }
}
