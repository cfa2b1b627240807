package io.carbonstream.carbon.estimate;

import io.carbonstream.events.FootprintEvent;

import java.math.BigDecimal;

/**
 * A job as it ran and as it would have: the same IT energy charged with another PUE and grid intensity, with the
 * arithmetic of an {@link Estimate} ({@link Estimate#charge}).
 */
public record WhatIf(String jobId, BigDecimal itEnergyJoules, BigDecimal actualFacilityEnergyJoules,
                     BigDecimal actualOperationalGCo2e, String datacenter, String zone, BigDecimal pue,
                     BigDecimal gCo2ePerKWh, String intensitySource, BigDecimal facilityEnergyJoules,
                     BigDecimal operationalGCo2e, BigDecimal operationalGCo2eDifference) {

    /** The footprint's IT energy at {@code pue} and {@code gCo2ePerKWh} (from {@code intensitySource}). */
    public static WhatIf of(FootprintEvent f, String datacenter, String zone, BigDecimal pue, BigDecimal gCo2ePerKWh,
                            String intensitySource) {
        BigDecimal it = f.itEnergyJoules().total();
        Estimate.Charged charged = Estimate.charge(it, pue, gCo2ePerKWh);
        return new WhatIf(f.jobId(), it, f.facilityEnergyJoules(), f.operationalGCo2e(), datacenter, zone, pue,
                gCo2ePerKWh, intensitySource, charged.facilityJoules(), charged.operationalGCo2e(),
                charged.operationalGCo2e().subtract(f.operationalGCo2e()));
    }
}
