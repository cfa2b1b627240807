package io.carbonstream.carbon.report;

import io.carbonstream.events.FootprintEvent;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A job's environmental impact in a few numbers, each with its formula:
 * <pre>
 *   energy intensity   = facility energy / work      (J per token, J per sample, kWh per PFLOP of IT energy)
 *   carbon intensity   = operational CO2e / facility kWh                  (gCO2e/kWh effectively applied)
 *   embodied share     = embodied CO2e / (operational + embodied CO2e)    (0..1)
 *   carbon per work    = (operational + embodied) CO2e per million tokens and per sample (SCI per functional unit)
 * </pre>
 * Ratios are absent when their denominator is zero.
 */
public record ImpactSummary(String jobId, BigDecimal facilityJoulesPerToken, BigDecimal facilityJoulesPerSample,
                            BigDecimal itKWhPerPetaFlop, BigDecimal gCo2ePerKWh, BigDecimal embodiedShare,
                            BigDecimal totalGCo2ePerMillionTokens, BigDecimal totalGCo2ePerSample, String formula) {

    public static final String FORMULA = "energy intensity = facility J / tokens (or samples), IT kWh / PFLOP; "
            + "carbon intensity = operational gCO2e / facility kWh; embodied share = embodied / (operational + embodied); "
            + "carbon per work = (operational + embodied) gCO2e per million tokens, per sample";

    public static ImpactSummary of(FootprintEvent f) {
        BigDecimal embodied = f.embodiedGCo2e() == null ? BigDecimal.ZERO : f.embodiedGCo2e();
        BigDecimal total = f.operationalGCo2e().add(embodied);
        return new ImpactSummary(f.jobId(),
                divide(f.facilityEnergyJoules(), f.tokens()), divide(f.facilityEnergyJoules(), f.samples()),
                f.flops() == null || f.flops().signum() == 0 ? null
                        : f.itEnergyKWh().multiply(BigDecimal.TEN.pow(15)).divide(f.flops(), MathContext.DECIMAL64),
                f.averageGCo2ePerKWh(),
                total.signum() == 0 ? null : embodied.divide(total, 6, RoundingMode.HALF_EVEN),
                f.tokens() == 0 ? null : total.multiply(BigDecimal.valueOf(1_000_000)).divide(BigDecimal.valueOf(f.tokens()), 9, RoundingMode.HALF_EVEN),
                divide(total, f.samples()), FORMULA);
    }

    private static BigDecimal divide(BigDecimal value, long by) {
        return by == 0 ? null : value.divide(BigDecimal.valueOf(by), 9, RoundingMode.HALF_EVEN);
    }
}
