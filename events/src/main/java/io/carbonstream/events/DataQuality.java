package io.carbonstream.events;

import java.math.BigDecimal;
import java.util.Map;

/**
 * How a footprint's figures were obtained: its facility energy by how the IT energy was known, and its operational
 * CO2e by the kind of grid intensity it was charged. The joules and integrals are exact sums over batches; the shares
 * are derived from them (to 6 decimals) and add up to 1 up to that rounding.
 *
 * @param facilityEnergyJoules facility joules per {@link EnergyMethod}
 * @param energyShare          each method's share of the facility energy
 * @param carbonIntegral       carbon integral (g x 3.6e6) per {@link IntensityBasis}
 * @param co2eShare            each basis's share of the operational CO2e
 */
public record DataQuality(Map<EnergyMethod, BigDecimal> facilityEnergyJoules, Map<EnergyMethod, BigDecimal> energyShare,
                          Map<IntensityBasis, BigDecimal> carbonIntegral, Map<IntensityBasis, BigDecimal> co2eShare) {
}
