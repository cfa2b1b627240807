package io.carbonstream.events;

import java.math.BigDecimal;
import java.util.List;

/**
 * A footprint's operational emissions both ways the GHG Protocol's Scope 2 Guidance (2015) asks for. Location-based
 * is the grid's average intensity, as in {@code operationalGCo2e}. Market-based uses the data centre's contractual
 * instruments: energy attribute certificates and PPAs for the share of consumption they cover, at their own factors,
 * and a supplier-specific factor or the zone's residual mix for the rest. Where neither is known, the location-based
 * intensity applies to the rest, and {@code locationFallbackShare} says how much of the market-based figure was
 * charged that way. docs/methodology.md, "Market-based Scope 2", has the details.
 *
 * @param locationBasedGCo2e             the location-based figure: {@code operationalGCo2e}
 * @param marketBasedGCo2e               marketBasedCarbonIntegral / 3.6e6, to 1 ng
 * @param marketBasedCarbonIntegral      exact sum over batches of facility joules x market-based gCO2e/kWh
 * @param marketBasedGCo2eBounds         its low and high ends (the facility energy's range; the location-based
 *                                       intensity's range where it stands in)
 * @param marketBasedCarbonIntegralBounds the exact sums behind those ends
 * @param locationFallbackCarbonIntegral the part of marketBasedCarbonIntegral charged at location-based intensity
 *                                       because no supplier factor or residual mix was known
 * @param locationFallbackShare          that part's share of the market-based figure, to 6 decimals
 * @param instruments                    the ids of the contractual instruments applied, sorted
 */
public record Scope2(BigDecimal locationBasedGCo2e, BigDecimal marketBasedGCo2e, BigDecimal marketBasedCarbonIntegral,
                     Bounds marketBasedGCo2eBounds, Bounds marketBasedCarbonIntegralBounds,
                     BigDecimal locationFallbackCarbonIntegral, BigDecimal locationFallbackShare, List<String> instruments) {
}
