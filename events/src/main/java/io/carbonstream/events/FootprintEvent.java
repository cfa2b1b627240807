package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The running footprint of one job: topic {@code carbon.footprint}, key = jobId. Each record holds the totals
 * over every batch counted so far (each batch once, however often it was delivered). Joules and the carbon
 * integral are exact sums; grams (1 ng) and kilowatt-hours (1e-12 kWh) are derived from them for display.
 *
 * @param name, model, jobState  from the job's latest record on {@code training.jobs} (absent until one is seen)
 * @param plannedSteps            the job's declared length in steps (all workers run each step)
 * @param plannedTokens           the job's declared length in tokens
 * @param projection              the totals at completion, extrapolated linearly from the share done
 * @param batches                 batches counted
 * @param itEnergyJoules          IT energy by component
 * @param itEnergyKWh             IT energy in kWh
 * @param facilityEnergyJoules    IT energy x PUE, in joules
 * @param facilityEnergyKWh       facility energy in kWh
 * @param operationalGCo2e        grams CO2e from the grid for the facility energy: carbonIntegral / 3.6e6, to 1 ng
 * @param carbonIntegral          the exact sum over batches of facility joules x gCO2e/kWh (grams x 3.6e6), from
 *                                which operationalGCo2e is derived, so totals never depend on rounding order
 * @param embodiedGCo2e           manufacturing footprint of the accelerators, amortised over their life by the
 *                                accelerator-seconds of the batches: embodiedIntegral / lifetime seconds, to 1 ng
 * @param embodiedIntegral        exact sum of accelerators x seconds x grams per accelerator
 * @param sci                     Software Carbon Intensity (operational + embodied) per functional unit
 * @param averageGCo2ePerKWh      operational CO2e / facility kWh: the intensity effectively applied
 * @param lastIntensity           the intensity applied to the most recently counted batch
 * @param byPhase                 totals per phase
 * @param gCo2ePerMillionTokens   operational CO2e per million tokens (null before any token)
 * @param joulesPerPetaFlop       IT energy per 10^15 floating-point operations (null before any FLOP)
 * @param firstBatchStartedAt     start of the earliest batch counted
 * @param lastBatchEndedAt        end of the latest batch counted
 * @param updatedAt               when carbon-service produced this record
 * @param budget                  the job's carbon budget, when it declared one ({@link Budget})
 */
public record FootprintEvent(
        Integer schemaVersion,
        String jobId,
        String tenant,
        String name,
        String model,
        String jobState,
        Long plannedSteps,
        Long plannedTokens,
        Projection projection,
        long batches,
        long samples,
        long tokens,
        BigDecimal flops,
        Energy itEnergyJoules,
        BigDecimal itEnergyKWh,
        BigDecimal facilityEnergyJoules,
        BigDecimal facilityEnergyKWh,
        BigDecimal operationalGCo2e,
        BigDecimal carbonIntegral,
        BigDecimal embodiedGCo2e,
        BigDecimal embodiedIntegral,
        Sci sci,
        BigDecimal averageGCo2ePerKWh,
        AppliedIntensity lastIntensity,
        Map<Phase, PhaseTotals> byPhase,
        BigDecimal gCo2ePerMillionTokens,
        BigDecimal joulesPerPetaFlop,
        Instant firstBatchStartedAt,
        Instant lastBatchEndedAt,
        Instant updatedAt,
        Budget budget) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * Software Carbon Intensity, SCI = (E x I + M) / R (Green Software Foundation, ISO/IEC 21031:2024), in grams
     * CO2e per functional unit R: the run, one batch, one million tokens (absent before any token).
     */
    public record Sci(BigDecimal perRun, BigDecimal perBatch, BigDecimal perMillionTokens) {
    }

    /**
     * Totals projected to the job's declared end, as Carbontracker predicts from the first epochs: totals so far
     * divided by the share done. The share is tokens / plannedTokens when the job declared tokens, else
     * batches / (plannedSteps x workers). Absent when the job declared no length.
     */
    /**
     * The job's declared carbon budget and how much of it is spent.
     *
     * @param gCo2e          the budget (g CO2e, operational + embodied)
     * @param usedShare      running footprint / budget
     * @param projectedShare projection to completion / budget, when the job declared its length
     * @param alertedPercent the highest threshold (50, 80, 100) already published to {@code carbon.alerts}, 0 if none
     */
    public record Budget(BigDecimal gCo2e, BigDecimal usedShare, BigDecimal projectedShare, int alertedPercent) {
    }

    public record Projection(String basis, BigDecimal shareDone, BigDecimal itEnergyJoules,
                             BigDecimal operationalGCo2e, BigDecimal embodiedGCo2e) {
    }

    /** Totals of one phase. */
    public record PhaseTotals(long batches, BigDecimal itEnergyJoules, BigDecimal facilityEnergyJoules,
                              BigDecimal operationalGCo2e, BigDecimal carbonIntegral) {
    }

    /** The PUE and grid intensity charged to a batch, and where they came from. */
    public record AppliedIntensity(String datacenter, String zone, BigDecimal pue, BigDecimal gCo2ePerKWh,
                                   GridIntensityEvent.Source source, Instant validFrom) {
    }
}
