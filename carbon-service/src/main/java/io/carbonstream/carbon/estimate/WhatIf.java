package io.carbonstream.carbon.estimate;

import io.carbonstream.carbon.accounting.Carbon;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.FootprintEvent;

import java.math.BigDecimal;

/**
 * A job as it ran and as it would have: the same IT energy charged with another PUE and grid intensity, with the
 * arithmetic of an {@link Estimate} ({@link Estimate#charge}), and the low and high end of each as everywhere else
 * (docs/methodology.md, Uncertainty): the job's IT energy range x the PUE's range x the intensity's range.
 *
 * @param itEnergyJoulesBounds           the job's IT energy range, as its footprint states it
 * @param actualOperationalGCo2eBounds   the job's operational CO2e range as it ran
 * @param pueBounds                      the range of the PUE charged
 * @param gCo2ePerKWhBounds              the range of the intensity charged (the zone's spread over the year)
 * @param facilityEnergyJoulesBounds     the range of the alternative's facility energy
 * @param operationalGCo2eBounds         the range of the alternative's operational CO2e
 */
public record WhatIf(String jobId, BigDecimal itEnergyJoules, BigDecimal actualFacilityEnergyJoules,
                     BigDecimal actualOperationalGCo2e, String datacenter, String zone, BigDecimal pue,
                     BigDecimal gCo2ePerKWh, String intensitySource, BigDecimal facilityEnergyJoules,
                     BigDecimal operationalGCo2e, BigDecimal operationalGCo2eDifference, Bounds itEnergyJoulesBounds,
                     Bounds actualOperationalGCo2eBounds, Bounds pueBounds, Bounds gCo2ePerKWhBounds,
                     Bounds facilityEnergyJoulesBounds, Bounds operationalGCo2eBounds) {

    /**
     * The footprint's IT energy at {@code pue} and {@code gCo2ePerKWh} (from {@code intensitySource}), each within its
     * range. A footprint written before bounds existed counts as exact.
     */
    public static WhatIf of(FootprintEvent f, String datacenter, String zone, BigDecimal pue, Bounds pueBounds,
                            BigDecimal gCo2ePerKWh, Bounds intensityBounds, String intensitySource) {
        BigDecimal it = f.itEnergyJoules().total();
        Estimate.Charged charged = Estimate.charge(it, pue, gCo2ePerKWh);
        Bounds itBounds = f.uncertainty() == null ? Bounds.exactly(it) : f.uncertainty().itEnergyJoules();
        Bounds actual = f.uncertainty() == null ? Bounds.exactly(f.operationalGCo2e()) : f.uncertainty().operationalGCo2e();
        Bounds facility = itBounds.times(pueBounds);
        Bounds integral = facility.times(intensityBounds);
        return new WhatIf(f.jobId(), it, f.facilityEnergyJoules(), f.operationalGCo2e(), datacenter, zone, pue,
                gCo2ePerKWh, intensitySource, charged.facilityJoules(), charged.operationalGCo2e(),
                charged.operationalGCo2e().subtract(f.operationalGCo2e()), itBounds, actual, pueBounds, intensityBounds,
                facility, new Bounds(Carbon.grams(integral.low()), Carbon.grams(integral.high())));
    }
}
