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
 * @param uncertainty             the low and high ends of the energy and CO2e figures ({@link Uncertainty}); added
 *                                in schema version 2
 * @param dataQuality             how the energy was known and which kind of intensity was charged
 *                                ({@link DataQuality}); added in schema version 2
 * @param scope2                  location-based and market-based Scope 2 emissions ({@link Scope2}); added in
 *                                schema version 2
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
        Budget budget,
        Uncertainty uncertainty,
        DataQuality dataQuality,
        Scope2 scope2) {

    /** 2 added {@code uncertainty}, {@code dataQuality}, {@code scope2} and the bounds of {@code lastIntensity}. */
    public static final int SCHEMA_VERSION = 2;

    /** A builder holding this footprint's fields, to change some of them by name. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schemaVersion = schemaVersion;
        b.jobId = jobId;
        b.tenant = tenant;
        b.name = name;
        b.model = model;
        b.jobState = jobState;
        b.plannedSteps = plannedSteps;
        b.plannedTokens = plannedTokens;
        b.projection = projection;
        b.batches = batches;
        b.samples = samples;
        b.tokens = tokens;
        b.flops = flops;
        b.itEnergyJoules = itEnergyJoules;
        b.itEnergyKWh = itEnergyKWh;
        b.facilityEnergyJoules = facilityEnergyJoules;
        b.facilityEnergyKWh = facilityEnergyKWh;
        b.operationalGCo2e = operationalGCo2e;
        b.carbonIntegral = carbonIntegral;
        b.embodiedGCo2e = embodiedGCo2e;
        b.embodiedIntegral = embodiedIntegral;
        b.sci = sci;
        b.averageGCo2ePerKWh = averageGCo2ePerKWh;
        b.lastIntensity = lastIntensity;
        b.byPhase = byPhase;
        b.gCo2ePerMillionTokens = gCo2ePerMillionTokens;
        b.joulesPerPetaFlop = joulesPerPetaFlop;
        b.firstBatchStartedAt = firstBatchStartedAt;
        b.lastBatchEndedAt = lastBatchEndedAt;
        b.updatedAt = updatedAt;
        b.budget = budget;
        b.uncertainty = uncertainty;
        b.dataQuality = dataQuality;
        b.scope2 = scope2;
        return b;
    }

    /** A builder with every field unset (null; 0 for counts). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FootprintEvent} field by field, by name: {@code FootprintEvent.builder().jobId("j")...build()}. */
    public static final class Builder {
        private Integer schemaVersion;
        private String jobId;
        private String tenant;
        private String name;
        private String model;
        private String jobState;
        private Long plannedSteps;
        private Long plannedTokens;
        private Projection projection;
        private long batches;
        private long samples;
        private long tokens;
        private BigDecimal flops;
        private Energy itEnergyJoules;
        private BigDecimal itEnergyKWh;
        private BigDecimal facilityEnergyJoules;
        private BigDecimal facilityEnergyKWh;
        private BigDecimal operationalGCo2e;
        private BigDecimal carbonIntegral;
        private BigDecimal embodiedGCo2e;
        private BigDecimal embodiedIntegral;
        private Sci sci;
        private BigDecimal averageGCo2ePerKWh;
        private AppliedIntensity lastIntensity;
        private Map<Phase, PhaseTotals> byPhase;
        private BigDecimal gCo2ePerMillionTokens;
        private BigDecimal joulesPerPetaFlop;
        private Instant firstBatchStartedAt;
        private Instant lastBatchEndedAt;
        private Instant updatedAt;
        private Budget budget;
        private Uncertainty uncertainty;
        private DataQuality dataQuality;
        private Scope2 scope2;

        private Builder() {
        }

        public Builder schemaVersion(Integer schemaVersion) {
            this.schemaVersion = schemaVersion;
            return this;
        }

        public Builder jobId(String jobId) {
            this.jobId = jobId;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder jobState(String jobState) {
            this.jobState = jobState;
            return this;
        }

        public Builder plannedSteps(Long plannedSteps) {
            this.plannedSteps = plannedSteps;
            return this;
        }

        public Builder plannedTokens(Long plannedTokens) {
            this.plannedTokens = plannedTokens;
            return this;
        }

        public Builder projection(Projection projection) {
            this.projection = projection;
            return this;
        }

        public Builder batches(long batches) {
            this.batches = batches;
            return this;
        }

        public Builder samples(long samples) {
            this.samples = samples;
            return this;
        }

        public Builder tokens(long tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder flops(BigDecimal flops) {
            this.flops = flops;
            return this;
        }

        public Builder itEnergyJoules(Energy itEnergyJoules) {
            this.itEnergyJoules = itEnergyJoules;
            return this;
        }

        public Builder itEnergyKWh(BigDecimal itEnergyKWh) {
            this.itEnergyKWh = itEnergyKWh;
            return this;
        }

        public Builder facilityEnergyJoules(BigDecimal facilityEnergyJoules) {
            this.facilityEnergyJoules = facilityEnergyJoules;
            return this;
        }

        public Builder facilityEnergyKWh(BigDecimal facilityEnergyKWh) {
            this.facilityEnergyKWh = facilityEnergyKWh;
            return this;
        }

        public Builder operationalGCo2e(BigDecimal operationalGCo2e) {
            this.operationalGCo2e = operationalGCo2e;
            return this;
        }

        public Builder carbonIntegral(BigDecimal carbonIntegral) {
            this.carbonIntegral = carbonIntegral;
            return this;
        }

        public Builder embodiedGCo2e(BigDecimal embodiedGCo2e) {
            this.embodiedGCo2e = embodiedGCo2e;
            return this;
        }

        public Builder embodiedIntegral(BigDecimal embodiedIntegral) {
            this.embodiedIntegral = embodiedIntegral;
            return this;
        }

        public Builder sci(Sci sci) {
            this.sci = sci;
            return this;
        }

        public Builder averageGCo2ePerKWh(BigDecimal averageGCo2ePerKWh) {
            this.averageGCo2ePerKWh = averageGCo2ePerKWh;
            return this;
        }

        public Builder lastIntensity(AppliedIntensity lastIntensity) {
            this.lastIntensity = lastIntensity;
            return this;
        }

        public Builder byPhase(Map<Phase, PhaseTotals> byPhase) {
            this.byPhase = byPhase;
            return this;
        }

        public Builder gCo2ePerMillionTokens(BigDecimal gCo2ePerMillionTokens) {
            this.gCo2ePerMillionTokens = gCo2ePerMillionTokens;
            return this;
        }

        public Builder joulesPerPetaFlop(BigDecimal joulesPerPetaFlop) {
            this.joulesPerPetaFlop = joulesPerPetaFlop;
            return this;
        }

        public Builder firstBatchStartedAt(Instant firstBatchStartedAt) {
            this.firstBatchStartedAt = firstBatchStartedAt;
            return this;
        }

        public Builder lastBatchEndedAt(Instant lastBatchEndedAt) {
            this.lastBatchEndedAt = lastBatchEndedAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder budget(Budget budget) {
            this.budget = budget;
            return this;
        }

        public Builder uncertainty(Uncertainty uncertainty) {
            this.uncertainty = uncertainty;
            return this;
        }

        public Builder dataQuality(DataQuality dataQuality) {
            this.dataQuality = dataQuality;
            return this;
        }

        public Builder scope2(Scope2 scope2) {
            this.scope2 = scope2;
            return this;
        }

        public FootprintEvent build() {
            return new FootprintEvent(schemaVersion, jobId, tenant, name, model, jobState, plannedSteps,
                    plannedTokens, projection, batches, samples, tokens, flops, itEnergyJoules, itEnergyKWh,
                    facilityEnergyJoules, facilityEnergyKWh, operationalGCo2e, carbonIntegral, embodiedGCo2e,
                    embodiedIntegral, sci, averageGCo2ePerKWh, lastIntensity, byPhase, gCo2ePerMillionTokens,
                    joulesPerPetaFlop, firstBatchStartedAt, lastBatchEndedAt, updatedAt, budget, uncertainty, dataQuality, scope2);
        }
    }

    /**
     * Software Carbon Intensity, SCI = (E x I + M) / R (Green Software Foundation, ISO/IEC 21031:2024), in grams
     * CO2e per functional unit R: the run, one batch, one million tokens (absent before any token).
     */
    public record Sci(BigDecimal perRun, BigDecimal perBatch, BigDecimal perMillionTokens) {
    }

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

    /**
     * Totals projected to the job's declared end, as Carbontracker predicts from the first epochs: totals so far
     * divided by the share done. The share is tokens / plannedTokens when the job declared tokens, else
     * batches / (plannedSteps x workers). Absent when the job declared no length.
     */
    public record Projection(String basis, BigDecimal shareDone, BigDecimal itEnergyJoules,
                             BigDecimal operationalGCo2e, BigDecimal embodiedGCo2e) {
    }

    /** Totals of one phase. */
    public record PhaseTotals(long batches, BigDecimal itEnergyJoules, BigDecimal facilityEnergyJoules,
                              BigDecimal operationalGCo2e, BigDecimal carbonIntegral) {
    }

    /**
     * The PUE and grid intensity charged to a batch, and where they came from.
     *
     * @param pueBounds       the range of the PUE (the data centre's stated range, else the default; schema 2)
     * @param intensityBounds the range of the grid intensity, by its basis (schema 2)
     * @param basis           the kind of intensity: live, estimated, forecast, manual or static (schema 2)
     * @param market          the market-based factor at the batch's time (schema 2); absent: none was worked out
     */
    public record AppliedIntensity(String datacenter, String zone, BigDecimal pue, BigDecimal gCo2ePerKWh,
                                   GridIntensityEvent.Source source, Instant validFrom, Bounds pueBounds,
                                   Bounds intensityBounds, IntensityBasis basis, MarketFactor market) {

        public AppliedIntensity(String datacenter, String zone, BigDecimal pue, BigDecimal gCo2ePerKWh,
                                GridIntensityEvent.Source source, Instant validFrom, Bounds pueBounds,
                                Bounds intensityBounds, IntensityBasis basis) {
            this(datacenter, zone, pue, gCo2ePerKWh, source, validFrom, pueBounds, intensityBounds, basis, null);
        }

        /** PUE and intensity taken as exact (no range), with the basis their source implies. */
        public AppliedIntensity(String datacenter, String zone, BigDecimal pue, BigDecimal gCo2ePerKWh,
                                GridIntensityEvent.Source source, Instant validFrom) {
            this(datacenter, zone, pue, gCo2ePerKWh, source, validFrom, Bounds.exactly(pue), Bounds.exactly(gCo2ePerKWh),
                    IntensityBasis.of(source, null, null));
        }
    }

    /**
     * The market-based emission factor of a batch's time (GHG Protocol Scope 2 Guidance), in gCO2e/kWh:
     * {@code instrumentsFactor} (the sum over instruments of share x factor) for the {@code coveredShare} they cover,
     * and the {@code residualFactor} (a supplier-specific factor, else the zone's residual mix) for the rest; a null
     * residualFactor means neither is known and the location-based intensity applies to the rest.
     *
     * @param residualSource where residualFactor comes from: "supplier" with the instrument id, or "residual mix" with
     *                       the table's source
     */
    public record MarketFactor(BigDecimal coveredShare, BigDecimal instrumentsFactor, BigDecimal residualFactor,
                               String residualSource, java.util.List<String> instruments) {
    }

    /**
     * The fields of a footprint record that {@link EventValidation#footprint} checks, read without the rest (its
     * totals, bounds and maps are skipped as tokens: their syntax and duplicated keys are still refused). For a
     * reader that needs the whole record only now and then: the archive reads a running job's update this way, and
     * the whole record only once the job ended. Unknown fields are ignored by the annotation and not only by the
     * mapper's setting: with the setting alone, Jackson copies every field a record's constructor does not take
     * into a buffer (numbers parsed) before it drops them, which made this read slower than reading the whole.
     */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record Head(Integer schemaVersion, String jobId, String tenant, String model, String jobState, long batches,
                       BigDecimal flops, Instant updatedAt) {
    }
}
