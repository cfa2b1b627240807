package io.carbonstream.carbon.estimate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/** What-if: a base run and alternatives side by side, each with its difference from the base. */
public final class Comparison {

    private Comparison() {
    }

    /** Body of {@code POST /estimates/compare}. */
    public record Request(EstimateRequest base, List<Alternative> alternatives) {
    }

    /**
     * An alternative: the base with these fields changed. Changing the hardware drops the base's declared power (the
     * other device's model applies); changing the zone or data centre drops the base's intensity and zone; changing
     * the data centre drops the base's PUE; giving a length replaces the base's length.
     */
    public record Alternative(String label, String acceleratorType, Integer acceleratorCount, BigDecimal hours,
                              BigDecimal days, BigDecimal deviceHours, BigDecimal averagePowerWatts,
                              BigDecimal averageUtilization, String datacenter, BigDecimal pue, String zone,
                              BigDecimal gCo2ePerKWh, Instant at) {

        public EstimateRequest applyTo(EstimateRequest b) {
            boolean newHardware = acceleratorType != null;
            boolean newPlace = zone != null || datacenter != null;
            boolean newLength = hours != null || days != null || deviceHours != null;
            return new EstimateRequest(
                    or(acceleratorType, b.acceleratorType()), or(acceleratorCount, b.acceleratorCount()),
                    newLength ? hours : b.hours(), newLength ? days : b.days(), newLength ? deviceHours : b.deviceHours(),
                    averagePowerWatts != null ? averagePowerWatts : newHardware || averageUtilization != null ? null : b.averagePowerWatts(),
                    or(averageUtilization, b.averageUtilization()),
                    or(datacenter, b.datacenter()),
                    pue != null ? pue : datacenter != null ? null : b.pue(),
                    zone != null ? zone : newPlace ? null : b.zone(),
                    gCo2ePerKWh != null ? gCo2ePerKWh : newPlace ? null : b.gCo2ePerKWh(),
                    or(at, b.at()));
        }

        private static <T> T or(T value, T otherwise) {
            return value != null ? value : otherwise;
        }
    }

    /** One column of the comparison. */
    public record Result(String label, Estimate estimate, BigDecimal facilityKWhDifference,
                         BigDecimal totalGCo2eDifference, BigDecimal totalRelativeDifference) {

        public static Result of(String label, Estimate e, Estimate base) {
            BigDecimal diff = e.totalGCo2e().subtract(base.totalGCo2e());
            return new Result(label, e, e.facilityEnergyKWh().subtract(base.facilityEnergyKWh()), diff,
                    base.totalGCo2e().signum() == 0 ? null : diff.divide(base.totalGCo2e(), 6, RoundingMode.HALF_EVEN));
        }
    }
}
