package io.carbonstream.carbon.accounting;

import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.FootprintEvent.AppliedIntensity;
import io.carbonstream.events.FootprintEvent.PhaseTotals;
import io.carbonstream.events.Phase;

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

    /** A batch with its carbon already worked out. */
    public record ChargedBatch(EnergyEvent energy, BigDecimal facilityJoules, BigDecimal carbonIntegral,
                               BigDecimal embodiedIntegral, AppliedIntensity applied) {
    }

    /**
     * @param previous the footprint so far, or null for the job's first batch
     */
    public static FootprintEvent add(FootprintEvent previous, ChargedBatch b, Instant now) {
        return add(previous, b, io.carbonstream.carbon.grid.StaticTables.LIFETIME_SECONDS, now);
    }

    /**
     * @param lifetimeSeconds the life over which accelerators' manufacturing footprint is amortised
     */
    public static FootprintEvent add(FootprintEvent previous, ChargedBatch b, long lifetimeSeconds, Instant now) {
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
        if (previous != null) {
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
        return new FootprintEvent(FootprintEvent.SCHEMA_VERSION, e.jobId(), e.tenant(), batches, samples, tokens, flops,
                it, Carbon.kWh(itTotal), facility, Carbon.kWh(facility), grams, integral, embodiedGrams, embodied, sci,
                averageIntensity, b.applied(),
                byPhase, perMillionTokens, perPetaFlop, first, last, now);
    }

    private static PhaseTotals phase(long batches, BigDecimal it, BigDecimal facility, BigDecimal integral) {
        return new PhaseTotals(batches, it, facility, Carbon.grams(integral), integral);
    }
}
