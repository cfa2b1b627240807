package io.carbonstream.events;

/**
 * The bounds of a footprint's figures (docs/methodology.md, "Uncertainty"). The integrals and joules are exact sums
 * over batches, like the figures they bound; grams are derived from the integrals as the figures' grams are.
 *
 * @param itEnergyJoules       IT energy, from the power readings' accuracy or the power model's range
 * @param facilityEnergyJoules IT energy x the PUE's range
 * @param carbonIntegral       facility joules x the grid intensity's range (grams x 3.6e6), exact
 * @param operationalGCo2e     carbonIntegral / 3.6e6, to 1 ng
 * @param embodiedIntegral     accelerator-seconds x the spread of published manufacturing footprints, exact
 * @param embodiedGCo2e        embodiedIntegral / lifetime seconds, to 1 ng
 */
public record Uncertainty(Bounds itEnergyJoules, Bounds facilityEnergyJoules, Bounds carbonIntegral,
                          Bounds operationalGCo2e, Bounds embodiedIntegral, Bounds embodiedGCo2e) {
}
