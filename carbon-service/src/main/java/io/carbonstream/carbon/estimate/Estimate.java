package io.carbonstream.carbon.estimate;

import io.carbonstream.carbon.accounting.Carbon;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.Scope2;
import io.carbonstream.events.Uncertainty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The footprint of a declared run, worked out without streaming, with the same arithmetic as the pipeline:
 * <pre>
 *   IT [J]          = accelerators x seconds x watts per accelerator            exact
 *   facility [J]    = IT x PUE                                                  exact
 *   operational [g] = facility x gCO2e/kWh / 3.6e6                              rounded once, to 1 ng
 *   embodied [g]    = accelerators x seconds x grams per accelerator / 4 years  rounded once, to 1 ng
 * </pre>
 * A declared run replayed through the pipeline with the same figures ends at exactly these totals.
 *
 * @param assumptions every figure used, with where it came from
 * @param uncertainty the low and high ends of each figure, as a footprint's (docs/methodology.md, "Uncertainty")
 * @param scope2      location-based and market-based Scope 2, as a footprint's (the data centre's instruments and
 *                    residual mix at {@code at}; location-based only without a data centre)
 */
public record Estimate(BigDecimal itEnergyJoules, BigDecimal itEnergyKWh, BigDecimal facilityEnergyJoules,
                       BigDecimal facilityEnergyKWh, BigDecimal operationalGCo2e, BigDecimal embodiedGCo2e,
                       BigDecimal totalGCo2e, List<Assumption> assumptions, Uncertainty uncertainty, Scope2 scope2) {

    /** The same estimate with its bounds and both Scope 2 figures. */
    public Estimate with(Uncertainty uncertainty, Scope2 scope2) {
        return new Estimate(itEnergyJoules, itEnergyKWh, facilityEnergyJoules, facilityEnergyKWh, operationalGCo2e,
                embodiedGCo2e, totalGCo2e, assumptions, uncertainty, scope2);
    }

    /** One input of an estimate: its value, unit and source. */
    public record Assumption(String name, BigDecimal value, String unit, String source) {
    }

    /** IT energy charged with a PUE and a grid intensity: facility joules (exact) and operational grams (1 ng). */
    public record Charged(BigDecimal facilityJoules, BigDecimal operationalGCo2e) {
    }

    /** {@code itJoules} x PUE, and its grams at {@code gCo2ePerKWh}, as the pipeline charges a batch. */
    public static Charged charge(BigDecimal itJoules, BigDecimal pue, BigDecimal gCo2ePerKWh) {
        BigDecimal facility = Carbon.facilityJoules(itJoules, pue);
        return new Charged(facility, Carbon.grams(Carbon.carbonIntegral(facility, gCo2ePerKWh)));
    }

    public static Estimate of(int accelerators, BigDecimal seconds, BigDecimal wattsPerAccelerator, BigDecimal pue,
                              BigDecimal gCo2ePerKWh, BigDecimal embodiedGramsPerAccelerator, List<Assumption> assumptions) {
        BigDecimal deviceSeconds = seconds.multiply(BigDecimal.valueOf(accelerators));
        BigDecimal it = deviceSeconds.multiply(wattsPerAccelerator);
        Charged charged = charge(it, pue, gCo2ePerKWh);
        BigDecimal embodied = Carbon.embodiedGrams(deviceSeconds.multiply(embodiedGramsPerAccelerator),
                StaticTables.LIFETIME_SECONDS);
        return new Estimate(it, Carbon.kWh(it), charged.facilityJoules(), Carbon.kWh(charged.facilityJoules()),
                charged.operationalGCo2e(), embodied, charged.operationalGCo2e().add(embodied), assumptions, null, null);
    }

    /** Megawatt-hours of facility energy, for comparing with published figures. */
    public BigDecimal facilityMWh() {
        return facilityEnergyJoules.divide(BigDecimal.valueOf(3_600_000_000L), 9, RoundingMode.HALF_EVEN);
    }

    /** Tonnes of operational CO2e. */
    public BigDecimal operationalTonnes() {
        return operationalGCo2e.movePointLeft(6);
    }
}
