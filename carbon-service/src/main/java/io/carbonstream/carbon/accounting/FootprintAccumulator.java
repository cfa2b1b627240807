package io.carbonstream.carbon.accounting;

import io.carbonstream.events.Bounds;
import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.JobEvent;
import io.carbonstream.events.FootprintEvent.AppliedIntensity;
import io.carbonstream.events.FootprintEvent.PhaseTotals;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Tolerances;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Adds one charged batch to a job's running footprint. Sums are exact decimals, so totals do not depend on
 * the order batches arrive in; ratios are derived from the sums each time, never accumulated.
 */
public final class FootprintAccumulator {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal PETA = BigDecimal.TEN.pow(15);

    private FootprintAccumulator() {
    }

    /**
     * A batch with its carbon already worked out.
     *
     * @param spread the batch's bounds and data quality ({@link Spread})
     */
    public record ChargedBatch(EnergyEvent energy, BigDecimal facilityJoules, BigDecimal carbonIntegral,
                               BigDecimal embodiedIntegral, AppliedIntensity applied, Spread spread) {

        /** A batch whose figures are all known exactly (no range). */
        public ChargedBatch(EnergyEvent energy, BigDecimal facilityJoules, BigDecimal carbonIntegral,
                            BigDecimal embodiedIntegral, AppliedIntensity applied) {
            this(energy, facilityJoules, carbonIntegral, embodiedIntegral, applied,
                    Spread.exactly(energy.energyJoules().total(), facilityJoules, carbonIntegral, embodiedIntegral));
        }

        /** A batch whose manufacturing footprint per accelerator is known exactly. */
        public static ChargedBatch of(EnergyEvent e, AppliedIntensity applied, BigDecimal embodiedGramsPerDevice) {
            return of(e, applied, embodiedGramsPerDevice, Bounds.exactly(embodiedGramsPerDevice));
        }

        /**
         * The pure charging step: a batch's energy, the data centre's PUE and the grid intensity applied to it
         * ({@code applied}), and the embodied carbon of its accelerators ({@code embodiedGramsPerDevice} over their
         * lifetime) give its facility energy and carbon integrals (exact; see {@link Carbon}). The same step with
         * every input at the low end of its range, and at the high end, gives the bounds: the energy event's
         * ({@link Tolerances} of its method for an event without them), the PUE's, the intensity's and
         * {@code embodiedRange}'s.
         */
        public static ChargedBatch of(EnergyEvent e, AppliedIntensity applied, BigDecimal embodiedGramsPerDevice,
                                      Bounds embodiedRange) {
            BigDecimal it = e.energyJoules().total();
            BigDecimal facility = Carbon.facilityJoules(it, applied.pue());
            BigDecimal integral = Carbon.carbonIntegral(facility, applied.gCo2ePerKWh());
            int accelerators = e.acceleratorCount() == null ? 0 : e.acceleratorCount();
            java.time.Duration busy = java.time.Duration.between(e.startedAt(), e.endedAt());
            BigDecimal embodied = Carbon.embodiedIntegral(accelerators, busy, embodiedGramsPerDevice);

            Bounds itRange = e.energyBounds() != null ? e.energyBounds() : Bounds.relative(it, Tolerances.of(e.method()));
            Bounds pue = applied.pueBounds() != null ? applied.pueBounds() : Bounds.exactly(applied.pue());
            Bounds intensity = applied.intensityBounds() != null ? applied.intensityBounds() : Bounds.exactly(applied.gCo2ePerKWh());
            Bounds facilityRange = new Bounds(Carbon.facilityJoules(itRange.low(), pue.low()),
                    Carbon.facilityJoules(itRange.high(), pue.high()));
            Bounds integralRange = new Bounds(Carbon.carbonIntegral(facilityRange.low(), intensity.low()),
                    Carbon.carbonIntegral(facilityRange.high(), intensity.high()));
            Bounds embodiedIntegralRange = new Bounds(Carbon.embodiedIntegral(accelerators, busy, embodiedRange.low()),
                    Carbon.embodiedIntegral(accelerators, busy, embodiedRange.high()));
            IntensityBasis basis = applied.basis() != null ? applied.basis() : IntensityBasis.of(applied.source(), null, null);
            Spread location = new Spread(itRange, facilityRange, integralRange, embodiedIntegralRange,
                    facilityByMethod(e, facility, applied.pue()),
                    integral.signum() == 0 ? Map.of() : Map.of(basis, integral), integral);
            Spread spread = marketBased(location, applied, facility, facilityRange, intensity);
            return new ChargedBatch(e, facility, integral, embodied, applied, spread);
        }

        /**
         * The batch's facility joules by energy method. Its idle component (the change it makes to its worker's idle
         * time, at the profiles' idle power) is MODELED whatever the batch's own method: which batch carries which
         * part of a worker's idle time depends on arrival order, the idle total does not, so only this keeps the
         * per-method sums independent of the order. The rest is the batch's own method.
         */
        static Map<EnergyMethod, BigDecimal> facilityByMethod(EnergyEvent e, BigDecimal facility, BigDecimal pue) {
            BigDecimal idle = e.energyJoules().idle() == null ? BigDecimal.ZERO : Carbon.facilityJoules(e.energyJoules().idle(), pue);
            BigDecimal own = facility.subtract(idle);
            Map<EnergyMethod, BigDecimal> byMethod = new EnumMap<>(EnergyMethod.class);
            if (own.signum() != 0) {
                byMethod.put(e.method(), own);
            }
            if (idle.signum() != 0) {
                byMethod.merge(EnergyMethod.MODELED, idle, BigDecimal::add);
            }
            byMethod.values().removeIf(v -> v.signum() == 0);
            return byMethod;
        }
    }

    /**
     * The batch's market-based sums (GHG Protocol Scope 2 Guidance) beside its location-based ones: the facility
     * energy x the market factor of its time ({@link AppliedIntensity#market()}), the instruments' share at their
     * own factors and the rest at the supplier's factor or the residual mix. Without either, the rest is charged
     * the location-based intensity and counted as such; without any market factor, market-based is location-based.
     */
    static Spread marketBased(Spread location, AppliedIntensity applied, BigDecimal facility, Bounds facilityRange,
                              Bounds intensity) {
        FootprintEvent.MarketFactor m = applied.market();
        if (m == null) {
            return location;
        }
        BigDecimal rest = BigDecimal.ONE.subtract(m.coveredShare());
        BigDecimal fixed = m.instrumentsFactor();
        BigDecimal integral;
        Bounds bounds;
        BigDecimal fallback;
        if (m.residualFactor() != null) {
            BigDecimal factor = fixed.add(rest.multiply(m.residualFactor()));
            integral = facility.multiply(factor);
            bounds = new Bounds(facilityRange.low().multiply(factor), facilityRange.high().multiply(factor));
            fallback = BigDecimal.ZERO;
        } else {
            fallback = facility.multiply(rest).multiply(applied.gCo2ePerKWh());
            integral = facility.multiply(fixed).add(fallback);
            bounds = new Bounds(facilityRange.low().multiply(fixed.add(rest.multiply(intensity.low()))),
                    facilityRange.high().multiply(fixed.add(rest.multiply(intensity.high()))));
        }
        return new Spread(location.itEnergyJoules(), location.facilityEnergyJoules(), location.carbonIntegral(),
                location.embodiedIntegral(), location.facilityByMethod(), location.integralByBasis(), integral, bounds,
                fallback, m.instruments() == null ? null : new java.util.TreeSet<>(m.instruments()));
    }

    /**
     * @param previous the footprint so far, or null for the job's first batch
     */
    public static FootprintEvent add(FootprintEvent previous, ChargedBatch b, Instant now) {
        return add(previous, b, null, io.carbonstream.carbon.grid.StaticTables.LIFETIME_SECONDS, now);
    }

    /**
     * @param job             the job's latest description, or null when none has been seen yet
     * @param lifetimeSeconds the life over which accelerators' manufacturing footprint is amortised
     */
    public static FootprintEvent add(FootprintEvent previous, ChargedBatch b, JobEvent job, long lifetimeSeconds,
                                     Instant now) {
        EnergyEvent e = b.energy();
        long batches = 1;
        long samples = e.samples();
        long tokens = e.tokens();
        BigDecimal flops = e.flops() == null ? BigDecimal.ZERO : e.flops();
        Energy it = e.energyJoules();
        BigDecimal facility = b.facilityJoules();
        BigDecimal integral = b.carbonIntegral();
        BigDecimal embodied = b.embodiedIntegral();
        Instant first = e.startedAt();
        Instant last = e.endedAt();
        Map<Phase, PhaseTotals> byPhase = new EnumMap<>(Phase.class);
        Spread spread = b.spread();
        if (previous != null) {
            spread = spread.plus(Spread.of(previous));
            batches += previous.batches();
            samples += previous.samples();
            tokens += previous.tokens();
            flops = flops.add(previous.flops());
            it = it.plus(previous.itEnergyJoules());
            facility = facility.add(previous.facilityEnergyJoules());
            integral = integral.add(previous.carbonIntegral());
            embodied = embodied.add(previous.embodiedIntegral());
            first = first.isBefore(previous.firstBatchStartedAt()) ? first : previous.firstBatchStartedAt();
            last = last.isAfter(previous.lastBatchEndedAt()) ? last : previous.lastBatchEndedAt();
            byPhase.putAll(previous.byPhase());
        }
        byPhase.merge(e.phase(), phase(1, e.energyJoules().total(), b.facilityJoules(), b.carbonIntegral()),
                (x, y) -> phase(x.batches() + y.batches(), x.itEnergyJoules().add(y.itEnergyJoules()),
                        x.facilityEnergyJoules().add(y.facilityEnergyJoules()), x.carbonIntegral().add(y.carbonIntegral())));
        BigDecimal grams = Carbon.grams(integral);
        BigDecimal embodiedGrams = Carbon.embodiedGrams(embodied, lifetimeSeconds);
        BigDecimal sciRun = grams.add(embodiedGrams);
        FootprintEvent.Sci sci = new FootprintEvent.Sci(sciRun,
                sciRun.divide(BigDecimal.valueOf(batches), Carbon.GRAMS_SCALE, RoundingMode.HALF_EVEN),
                tokens == 0 ? null : sciRun.multiply(MILLION).divide(BigDecimal.valueOf(tokens), Carbon.GRAMS_SCALE, RoundingMode.HALF_EVEN));

        BigDecimal itTotal = it.total();
        BigDecimal averageIntensity = facility.signum() == 0 ? null
                : integral.divide(facility, 3, RoundingMode.HALF_EVEN);
        BigDecimal perMillionTokens = tokens == 0 ? null
                : grams.multiply(MILLION).divide(BigDecimal.valueOf(tokens), Carbon.GRAMS_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal perPetaFlop = flops.signum() == 0 ? null
                : itTotal.multiply(PETA).divide(flops, Energy.SCALE, RoundingMode.HALF_EVEN);
        FootprintEvent totals = FootprintEvent.builder().schemaVersion(FootprintEvent.SCHEMA_VERSION)
                .jobId(e.jobId()).tenant(e.tenant())
                .batches(batches).samples(samples).tokens(tokens).flops(flops)
                .itEnergyJoules(it).itEnergyKWh(Carbon.kWh(itTotal))
                .facilityEnergyJoules(facility).facilityEnergyKWh(Carbon.kWh(facility))
                .operationalGCo2e(grams).carbonIntegral(integral).embodiedGCo2e(embodiedGrams).embodiedIntegral(embodied)
                .sci(sci).averageGCo2ePerKWh(averageIntensity).lastIntensity(b.applied()).byPhase(byPhase)
                .gCo2ePerMillionTokens(perMillionTokens).joulesPerPetaFlop(perPetaFlop)
                .firstBatchStartedAt(first).lastBatchEndedAt(last).updatedAt(now)
                .budget(previous == null ? null : previous.budget())
                .uncertainty(spread.uncertainty(lifetimeSeconds)).dataQuality(spread.quality(facility, integral))
                .scope2(spread.scope2(grams))
                .build();
        if (job == null) {
            FootprintEvent.Budget carried = totals.budget();
            return carried == null ? totals
                    : withBudget(totals, budget(totals, carried.gCo2e(), carried.alertedPercent()));
        }
        return withJob(totals, job);
    }

    /**
     * The budget of footprint {@code f} of {@code grams} g CO2e, with the shares spent so far and projected, and the
     * highest threshold already alerted; null without a budget.
     */
    public static FootprintEvent.Budget budget(FootprintEvent f, BigDecimal grams, int alertedPercent) {
        if (grams == null) {
            return null;
        }
        BigDecimal running = f.operationalGCo2e().add(f.embodiedGCo2e());
        BigDecimal projected = f.projection() == null ? null
                : f.projection().operationalGCo2e().add(f.projection().embodiedGCo2e());
        return new FootprintEvent.Budget(grams, running.divide(grams, 9, RoundingMode.HALF_EVEN),
                projected == null ? null : projected.divide(grams, 9, RoundingMode.HALF_EVEN), alertedPercent);
    }

    /** The footprint with another budget; everything else unchanged. */
    public static FootprintEvent withBudget(FootprintEvent f, FootprintEvent.Budget budget) {
        return f.toBuilder().budget(budget).build();
    }

    /** The footprint with the job's description and the projection it allows; unchanged totals. */
    public static FootprintEvent withJob(FootprintEvent f, JobEvent job) {
        if (job == null) {
            return f;
        }
        FootprintEvent described = f.toBuilder().name(job.name()).model(job.model()).jobState(job.state())
                .plannedSteps(job.plannedSteps()).plannedTokens(job.plannedTokens()).projection(project(f, job))
                .budget(null).build();
        int alerted = f.budget() == null ? 0 : f.budget().alertedPercent();
        return withBudget(described, budget(described, job.co2eBudgetGrams(), alerted));
    }

    static FootprintEvent.Projection project(FootprintEvent f, JobEvent job) {
        BigDecimal share;
        String basis;
        if (job.plannedTokens() != null && job.plannedTokens() > 0) {
            share = BigDecimal.valueOf(f.tokens()).divide(BigDecimal.valueOf(job.plannedTokens()), 9, RoundingMode.HALF_EVEN);
            basis = "tokens";
        } else if (job.plannedSteps() != null && job.plannedSteps() > 0) {
            long planned = job.plannedSteps() * (job.workers() == null ? 1 : job.workers());
            share = BigDecimal.valueOf(f.batches()).divide(BigDecimal.valueOf(planned), 9, RoundingMode.HALF_EVEN);
            basis = "steps";
        } else {
            return null;
        }
        if (share.signum() == 0) {
            return null;
        }
        return new FootprintEvent.Projection(basis, share,
                f.itEnergyJoules().total().divide(share, Energy.SCALE, RoundingMode.HALF_EVEN),
                f.operationalGCo2e().divide(share, Carbon.GRAMS_SCALE, RoundingMode.HALF_EVEN),
                f.embodiedGCo2e().divide(share, Carbon.GRAMS_SCALE, RoundingMode.HALF_EVEN));
    }

    private static PhaseTotals phase(long batches, BigDecimal it, BigDecimal facility, BigDecimal integral) {
        return new PhaseTotals(batches, it, facility, Carbon.grams(integral), integral);
    }
}
