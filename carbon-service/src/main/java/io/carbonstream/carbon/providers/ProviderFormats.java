package io.carbonstream.carbon.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.GridIntensityEvent.Signal;
import io.carbonstream.events.GridIntensityEvent.Source;
import io.carbonstream.events.InvalidEventException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads grid carbon intensity from the response formats of the providers carbonstream supports, into
 * {@code grid.intensity} observations labelled with their source and whether they are estimated or a forecast.
 * Pure functions: the HTTP side lives in the pollers.
 */
public final class ProviderFormats {

    /** Grams per pound, exactly (the international avoirdupois pound is 0.45359237 kg by definition). */
    public static final BigDecimal GRAMS_PER_POUND = new BigDecimal("453.59237");
    /** lbs/MWh to g/kWh: 453.59237 g per lb / 1000 kWh per MWh. */
    public static final BigDecimal G_PER_KWH_PER_LBS_PER_MWH = new BigDecimal("0.45359237");

    private ProviderFormats() {
    }

    /**
     * Electricity Maps API v3: {@code /v3/carbon-intensity/latest} (one object), {@code /history} (a
     * {@code history} array) or {@code /forecast} (a {@code forecast} array). Values are hourly:
     * {@code carbonIntensity} in gCO2eq/kWh at {@code datetime}, with {@code isEstimated}.
     */
    public static List<GridIntensityEvent> electricityMaps(String zone, byte[] body) {
        JsonNode root = read(body);
        List<GridIntensityEvent> out = new ArrayList<>();
        boolean forecast = root.has("forecast");
        JsonNode items = root.has("history") ? root.get("history") : forecast ? root.get("forecast") : null;
        if (items == null) {
            out.add(electricityMapsPoint(zone, root, false));
        } else {
            items.forEach(item -> out.add(electricityMapsPoint(zone, item, forecast)));
        }
        return out;
    }

    private static GridIntensityEvent electricityMapsPoint(String zone, JsonNode n, boolean forecast) {
        Instant from = instant(n, "datetime");
        return new GridIntensityEvent(GridIntensityEvent.SCHEMA_VERSION, text(n, "zone", zone), from,
                from.plus(Duration.ofHours(1)), number(n, "carbonIntensity"), Signal.AVERAGE, Source.ELECTRICITY_MAPS,
                forecast || n.path("isEstimated").asBoolean(false), forecast);
    }

    /**
     * WattTime API v3: {@code /v3/historical} or {@code /v3/forecast} with {@code signal_type=co2_moer}: a
     * {@code data} array of {@code point_time} and {@code value} in lbs CO2/MWh, each valid for
     * {@code meta.data_point_period_seconds}. Marginal operating emissions rates; converted to g/kWh.
     */
    public static List<GridIntensityEvent> wattTime(String zone, byte[] body, boolean forecast) {
        JsonNode root = read(body);
        JsonNode meta = root.path("meta");
        String units = meta.path("units").asText("lbs_co2_per_mwh");
        if (!units.equals("lbs_co2_per_mwh")) {
            throw new InvalidEventException("meta.units", "unsupported WattTime units " + units);
        }
        Duration period = Duration.ofSeconds(meta.path("data_point_period_seconds").asLong(300));
        List<GridIntensityEvent> out = new ArrayList<>();
        for (JsonNode n : root.path("data")) {
            Instant from = instant(n, "point_time");
            BigDecimal grams = number(n, "value").multiply(G_PER_KWH_PER_LBS_PER_MWH);
            out.add(new GridIntensityEvent(GridIntensityEvent.SCHEMA_VERSION, zone, from, from.plus(period), grams,
                    Signal.MARGINAL, Source.WATTTIME, forecast, forecast));
        }
        return out;
    }

    /**
     * UK NESO Carbon Intensity API ({@code /intensity}, {@code /intensity/{from}/{to}}, {@code /intensity/date}):
     * a {@code data} array of half-hours {@code from}..{@code to} with {@code intensity.actual} (null until
     * measured) and {@code intensity.forecast}, in gCO2/kWh. Without an actual value the forecast is used and
     * labelled so.
     */
    public static List<GridIntensityEvent> neso(String zone, byte[] body) {
        List<GridIntensityEvent> out = new ArrayList<>();
        for (JsonNode n : read(body).path("data")) {
            JsonNode intensity = n.path("intensity");
            boolean actual = intensity.hasNonNull("actual");
            BigDecimal value = actual ? intensity.get("actual").decimalValue() : number(intensity, "forecast");
            out.add(new GridIntensityEvent(GridIntensityEvent.SCHEMA_VERSION, zone, instant(n, "from"), instant(n, "to"),
                    value, Signal.AVERAGE, Source.UK_NESO, !actual, !actual));
        }
        return out;
    }

    /**
     * A CSV file of observations to replay: header {@code zone,validFrom,validTo,gCo2ePerKWh[,signal]}, ISO-8601
     * instants, {@code validTo} may be empty; lines starting with {@code #} are comments.
     */
    public static List<GridIntensityEvent> csv(List<String> lines) {
        List<GridIntensityEvent> out = new ArrayList<>();
        boolean header = true;
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 4) {
                throw new InvalidEventException("line " + number, "needs zone,validFrom,validTo,gCo2ePerKWh");
            }
            try {
                Instant from = Instant.parse(f[1].trim());
                Instant to = f[2].isBlank() ? null : Instant.parse(f[2].trim());
                BigDecimal g = new BigDecimal(f[3].trim());
                if (g.signum() < 0 || (to != null && !to.isAfter(from))) {
                    throw new IllegalArgumentException("negative intensity or validTo not after validFrom");
                }
                Signal signal = f.length > 4 && !f[4].isBlank() ? Signal.valueOf(f[4].trim()) : Signal.AVERAGE;
                out.add(new GridIntensityEvent(GridIntensityEvent.SCHEMA_VERSION, f[0].trim(), from, to, g, signal,
                        Source.FILE, false, false));
            } catch (RuntimeException e) {
                throw new InvalidEventException("line " + number, e.getMessage());
            }
        }
        return out;
    }

    private static JsonNode read(byte[] body) {
        try {
            return EventJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable provider response", e);
        }
    }

    private static Instant instant(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new InvalidEventException(field, "is missing from the provider's response");
        }
        String text = n.get(field).asText();
        try {
            return java.time.OffsetDateTime.parse(text).toInstant(); // also reads "2026-03-01T12:00Z" and "+00:00"
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidEventException(field, "\"" + text + "\" is not an ISO-8601 time");
        }
    }

    private static BigDecimal number(JsonNode n, String field) {
        if (!n.hasNonNull(field) || !n.get(field).isNumber()) {
            throw new InvalidEventException(field, "is missing from the provider's response");
        }
        return n.get(field).decimalValue();
    }

    private static String text(JsonNode n, String field, String otherwise) {
        return n.hasNonNull(field) ? n.get(field).asText() : otherwise;
    }
}
