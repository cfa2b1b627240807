package io.carbonstream.carbon.providers;

import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.GridIntensityEvent.Signal;
import io.carbonstream.events.GridIntensityEvent.Source;
import io.carbonstream.events.InvalidEventException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each provider's recorded response, in its real API format, read into labelled observations. */
class ProviderFormatsTest {

    static byte[] recorded(String name) throws IOException {
        try (InputStream in = ProviderFormatsTest.class.getResourceAsStream("/providers/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void electricityMapsLatestIsAnHourlyAverageLabelledEstimated() throws IOException {
        List<GridIntensityEvent> events = ProviderFormats.electricityMaps("DE", recorded("electricitymaps-latest.json"));
        assertEquals(List.of(new GridIntensityEvent(1, "DE", Instant.parse("2026-03-01T12:00:00Z"),
                Instant.parse("2026-03-01T13:00:00Z"), new BigDecimal("302"), Signal.AVERAGE, Source.ELECTRICITY_MAPS,
                true, false)), events);
    }

    @Test
    void electricityMapsHistoryGivesOneObservationPerHour() throws IOException {
        List<GridIntensityEvent> events = ProviderFormats.electricityMaps("DE", recorded("electricitymaps-history.json"));
        assertEquals(2, events.size());
        assertEquals(0, new BigDecimal("298.5").compareTo(events.get(1).gCo2ePerKWh()));
        assertEquals(Instant.parse("2026-03-01T11:00:00Z"), events.get(1).validFrom());
        assertEquals(false, events.get(1).estimated());
    }

    @Test
    void wattTimeMarginalRatesAreConvertedFromPoundsPerMegawattHourExactly() throws IOException {
        List<GridIntensityEvent> events = ProviderFormats.wattTime("US-CAL-CISO", recorded("watttime-forecast.json"), true);
        assertEquals(2, events.size());
        GridIntensityEvent first = events.get(0);
        // 870 lbs/MWh x 453.59237 g/lb / 1000 kWh/MWh = 394.6253619 g/kWh
        assertEquals(0, new BigDecimal("394.6253619").compareTo(first.gCo2ePerKWh()));
        assertEquals(0, new BigDecimal("453.59237").compareTo(events.get(1).gCo2ePerKWh()));
        assertEquals(Signal.MARGINAL, first.signal());
        assertEquals(Source.WATTTIME, first.source());
        assertEquals(Instant.parse("2026-03-01T12:05:00Z"), first.validTo(), "each point holds for the 300 s period");
        assertEquals(true, first.forecast());
    }

    @Test
    void nesoUsesTheActualValueAndFallsBackToTheForecastLabelledSo() throws IOException {
        List<GridIntensityEvent> events = ProviderFormats.neso("GB", recorded("neso-intensity.json"));
        assertEquals(new GridIntensityEvent(1, "GB", Instant.parse("2026-03-01T12:00:00Z"), Instant.parse("2026-03-01T12:30:00Z"),
                new BigDecimal("263"), Signal.AVERAGE, Source.UK_NESO, false, false), events.get(0));
        assertEquals(0, new BigDecimal("250").compareTo(events.get(1).gCo2ePerKWh()));
        assertEquals(true, events.get(1).forecast());
        assertEquals(true, events.get(1).estimated());
    }

    @Test
    void aCsvFileIsReplayedAsFileObservationsAndBadLinesAreNamed() {
        List<GridIntensityEvent> events = ProviderFormats.csv(List.of(
                "# hourly intensity of a PPA-backed site",
                "zone,validFrom,validTo,gCo2ePerKWh,signal",
                "SE,2026-03-01T00:00:00Z,2026-03-01T01:00:00Z,31.5,",
                "SE,2026-03-01T01:00:00Z,,29,MARGINAL"));
        assertEquals(2, events.size());
        assertEquals(Source.FILE, events.get(0).source());
        assertEquals(Signal.MARGINAL, events.get(1).signal());
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> ProviderFormats.csv(List.of(
                "zone,validFrom,validTo,gCo2ePerKWh", "SE,yesterday,,12")));
        assertEquals("line 2", e.field());
    }

    @Test
    void aResponseWithoutItsValuesIsAnErrorNotZero() {
        assertThrows(InvalidEventException.class, () -> ProviderFormats.electricityMaps("DE",
                "{\"zone\":\"DE\",\"datetime\":\"2026-03-01T12:00:00.000Z\"}".getBytes()));
    }
}
