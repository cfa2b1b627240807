package io.carbonstream.carbon.estimate;

import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Violation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /estimates}: a run declared by its totals.
 *
 * @param hours              wall-clock length; exactly one of hours, days, deviceHours
 * @param deviceHours        accelerator-hours (length = deviceHours / acceleratorCount)
 * @param averagePowerWatts  declared average power per accelerator; or
 * @param averageUtilization 0..1, for telemetry-service's power model (full load when neither is given)
 * @param pue                the data centre's PUE; or taken from {@code datacenter}
 * @param gCo2ePerKWh        the grid intensity; or taken from {@code zone}, or from {@code datacenter}'s zone
 * @param at                 when the run happens, for the PUE and intensity that hold then (default now)
 */
public record EstimateRequest(String acceleratorType, Integer acceleratorCount, BigDecimal hours, BigDecimal days,
                              BigDecimal deviceHours, BigDecimal averagePowerWatts, BigDecimal averageUtilization,
                              String datacenter, BigDecimal pue, String zone, BigDecimal gCo2ePerKWh, Instant at) {

    public List<Violation> validate() {
        List<Violation> v = new ArrayList<>();
        BatchValidation.id(v, "acceleratorType", acceleratorType, true);
        BatchValidation.id(v, "datacenter", datacenter, false);
        BatchValidation.id(v, "zone", zone, false);
        if (acceleratorCount == null || acceleratorCount < 1 || acceleratorCount > 1_000_000) {
            v.add(new Violation("acceleratorCount", "is required, in 1..1000000"));
        }
        int lengths = (hours == null ? 0 : 1) + (days == null ? 0 : 1) + (deviceHours == null ? 0 : 1);
        if (lengths != 1) {
            v.add(new Violation("hours", "give exactly one of hours, days or deviceHours"));
        }
        for (var f : List.of(new Object[] {"hours", hours}, new Object[] {"days", days}, new Object[] {"deviceHours", deviceHours})) {
            BigDecimal value = (BigDecimal) f[1];
            if (value != null && value.signum() <= 0) {
                v.add(new Violation((String) f[0], "must be > 0, was " + value.toPlainString()));
            }
        }
        if (averagePowerWatts != null && averageUtilization != null) {
            v.add(new Violation("averagePowerWatts", "give averagePowerWatts or averageUtilization, not both"));
        }
        if (averagePowerWatts != null && (averagePowerWatts.signum() < 0 || averagePowerWatts.compareTo(BigDecimal.valueOf(100_000)) > 0)) {
            v.add(new Violation("averagePowerWatts", "must be in 0..100000 per accelerator, was " + averagePowerWatts.toPlainString()));
        }
        if (averageUtilization != null && (averageUtilization.signum() < 0 || averageUtilization.compareTo(BigDecimal.ONE) > 0)) {
            v.add(new Violation("averageUtilization", "must be in 0..1, was " + averageUtilization.toPlainString()));
        }
        if (pue == null && datacenter == null) {
            v.add(new Violation("pue", "give pue, or a datacenter to take it from"));
        }
        if (pue != null && io.carbonstream.carbon.grid.PueRange.violation(pue) != null) {
            v.add(new Violation("pue", io.carbonstream.carbon.grid.PueRange.violation(pue)));
        }
        if (gCo2ePerKWh == null && zone == null && datacenter == null) {
            v.add(new Violation("gCo2ePerKWh", "give gCo2ePerKWh, or a zone or datacenter to take it from"));
        }
        if (gCo2ePerKWh != null && (gCo2ePerKWh.signum() < 0 || gCo2ePerKWh.compareTo(BigDecimal.valueOf(5000)) > 0)) {
            v.add(new Violation("gCo2ePerKWh", "must be in 0..5000, was " + gCo2ePerKWh.toPlainString()));
        }
        return v;
    }

    /** Wall-clock seconds of the run, exact (deviceHours / count to 9 decimals of a second). */
    public BigDecimal seconds() {
        if (hours != null) {
            return hours.multiply(BigDecimal.valueOf(3600));
        }
        if (days != null) {
            return days.multiply(BigDecimal.valueOf(86_400));
        }
        return deviceHours.multiply(BigDecimal.valueOf(3600)).divide(BigDecimal.valueOf(acceleratorCount), 9, RoundingMode.HALF_EVEN);
    }
}
