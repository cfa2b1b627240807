package io.carbonstream.carbon.estimate;

import io.carbonstream.carbon.grid.Ranges;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.FootprintEvent.MarketFactor;
import io.carbonstream.events.IntensityBasis;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An estimate's bounds and market-based figure come from the same charging step as a batch's. */
class EstimateBoundsTest {

    static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    static EstimateRequest request() {
        return new EstimateRequest("nvidia-a100-sxm4-40gb", 8, new BigDecimal("1"), null, null, new BigDecimal("300"), null,
                null, new BigDecimal("1.1"), null, new BigDecimal("400"), AT);
    }

    @Test
    void aDeclaredRunIsBoundedByTheDeclaredTolerancePueAndIntensity() {
        // 8 x 3600 s x 300 W = 8,640,000 J, declared: +/- 10 %; PUE 1.1 without a range: 1.05..1.15; 400 g/kWh given: +/- 10 %
        Estimate e = Estimate.of(8, new BigDecimal("3600"), new BigDecimal("300"), new BigDecimal("1.1"), new BigDecimal("400"),
                BigDecimal.ZERO, List.of());
        Estimate b = EstimateService.bounded(e, request(), AT, new BigDecimal("3600"), Bounds.relative(new BigDecimal("300"),
                        new BigDecimal("0.10")), new BigDecimal("1.1"), Ranges.pue(new BigDecimal("1.1"), null, null),
                new BigDecimal("400"), Ranges.intensity(new BigDecimal("400"), IntensityBasis.MANUAL), IntensityBasis.MANUAL,
                null, BigDecimal.ZERO, Bounds.exactly(BigDecimal.ZERO));
        assertEquals(new BigDecimal("1056.000000000"), b.operationalGCo2e());
        // 7,776,000 x 1.05 x 360 / 3.6e6 = 816.48 g; 9,504,000 x 1.15 x 440 / 3.6e6 = 1335.84 g
        assertEquals(0, new BigDecimal("816.48").compareTo(b.uncertainty().operationalGCo2e().low()));
        assertEquals(0, new BigDecimal("1335.84").compareTo(b.uncertainty().operationalGCo2e().high()));
        assertEquals(0, b.operationalGCo2e().compareTo(b.scope2().marketBasedGCo2e()), "no instrument: market-based is location-based");
    }

    @Test
    void aDataCentresInstrumentsGiveTheMarketBasedFigure() {
        Estimate e = Estimate.of(8, new BigDecimal("3600"), new BigDecimal("300"), new BigDecimal("1.1"), new BigDecimal("400"),
                BigDecimal.ZERO, List.of());
        // 80 % covered at 0 g/kWh, a residual mix of 600 for the rest: 120 g/kWh; 9,504,000 J x 120 / 3.6e6 = 316.8 g
        MarketFactor market = new MarketFactor(new BigDecimal("0.8"), BigDecimal.ZERO, new BigDecimal("600"), "test", List.of("go"));
        Estimate b = EstimateService.bounded(e, request(), AT, new BigDecimal("3600"), Bounds.exactly(new BigDecimal("300")),
                new BigDecimal("1.1"), Bounds.exactly(new BigDecimal("1.1")), new BigDecimal("400"),
                Bounds.exactly(new BigDecimal("400")), IntensityBasis.LIVE, market, BigDecimal.ZERO, Bounds.exactly(BigDecimal.ZERO));
        assertEquals(new BigDecimal("316.800000000"), b.scope2().marketBasedGCo2e());
        assertEquals(List.of("go"), b.scope2().instruments());
        assertEquals(0, BigDecimal.ZERO.compareTo(b.scope2().locationFallbackCarbonIntegral()));
    }
}
