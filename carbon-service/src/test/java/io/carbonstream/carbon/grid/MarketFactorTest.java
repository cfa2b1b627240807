package io.carbonstream.carbon.grid;

import io.carbonstream.events.FootprintEvent.MarketFactor;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The market-based factor of a data centre at a time: instruments by their periods, then supplier, residual mix. */
class MarketFactorTest {

    static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant JUL = Instant.parse("2026-07-01T00:00:00Z");
    static final Instant NEXT = Instant.parse("2027-01-01T00:00:00Z");

    static DatacenterCatalog catalog(List<DatacenterCatalog.Instrument> instruments, List<DatacenterCatalog.ResidualMix> mixes) {
        return new DatacenterCatalog(List.of(new DatacenterCatalog.Site("dc", "DE", null, "s")),
                List.of(new DatacenterCatalog.Pue("dc", Instant.EPOCH, new BigDecimal("1.2"), "s")), instruments, mixes);
    }

    static DatacenterCatalog.Instrument eac(String id, Instant from, Instant to, String share, String factor) {
        return new DatacenterCatalog.Instrument(id, "dc", DatacenterCatalog.InstrumentKind.EAC, from, to,
                new BigDecimal(share), new BigDecimal(factor), "test");
    }

    MarketFactor at(DatacenterCatalog c, Instant t) {
        return c.at("dc", t).orElseThrow().market();
    }

    @Test
    void withoutInstrumentsOrResidualMixMarketBasedIsLocationBased() {
        assertSame(DatacenterCatalog.NO_MARKET, at(catalog(List.of(), List.of()), JUL));
    }

    @Test
    void instrumentsCoverTheirSharesInTheirPeriodsAndTheResidualMixTheRest() {
        DatacenterCatalog c = catalog(List.of(eac("a", JAN, NEXT, "0.6", "0"), eac("b", JUL, NEXT, "0.25", "12")),
                List.of(new DatacenterCatalog.ResidualMix("DE", JAN, new BigDecimal("700"), "AIB")));
        MarketFactor spring = at(c, Instant.parse("2026-03-01T00:00:00Z"));
        assertEquals(0, new BigDecimal("0.6").compareTo(spring.coveredShare()));
        assertEquals(0, BigDecimal.ZERO.compareTo(spring.instrumentsFactor()));
        assertEquals(0, new BigDecimal("700").compareTo(spring.residualFactor()));
        assertEquals(List.of("a"), spring.instruments());
        // from July, b too: 0.6 x 0 + 0.25 x 12 = 3 g/kWh for 85 %, the residual mix for 15 %
        MarketFactor autumn = at(c, JUL);
        assertEquals(0, new BigDecimal("0.85").compareTo(autumn.coveredShare()));
        assertEquals(0, new BigDecimal("3").compareTo(autumn.instrumentsFactor()));
        assertEquals(List.of("a", "b"), autumn.instruments());
        // validTo is exclusive; before the residual mix's validFrom there is none
        assertSame(DatacenterCatalog.NO_MARKET, at(c, Instant.parse("2025-12-31T23:59:59Z")));
        assertEquals(List.of(), at(c, NEXT).instruments());
    }

    @Test
    void aSupplierFactorTakesTheRestBeforeTheResidualMix() {
        DatacenterCatalog c = catalog(List.of(eac("a", JAN, NEXT, "0.5", "0"), new DatacenterCatalog.Instrument("s", "dc",
                        DatacenterCatalog.InstrumentKind.SUPPLIER, JAN, JUL, null, new BigDecimal("250"), "supplier disclosure")),
                List.of(new DatacenterCatalog.ResidualMix("DE", JAN, new BigDecimal("700"), "AIB")));
        MarketFactor spring = at(c, Instant.parse("2026-03-01T00:00:00Z"));
        assertEquals(0, new BigDecimal("250").compareTo(spring.residualFactor()));
        assertEquals(List.of("a", "s"), spring.instruments());
        assertEquals(0, new BigDecimal("700").compareTo(at(c, JUL).residualFactor()));
        // certificates without a residual mix: the rest is left to location-based intensity
        MarketFactor none = at(catalog(List.of(eac("a", JAN, NEXT, "0.5", "0")), List.of()), JUL);
        assertNull(none.residualFactor());
        assertEquals(0, new BigDecimal("0.5").compareTo(none.coveredShare()));
    }
}
