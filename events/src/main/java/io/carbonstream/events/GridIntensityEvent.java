package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Carbon intensity of a grid zone over a time interval: topic {@code grid.intensity}, key = zone.
 *
 * @param zone          grid zone, such as {@code DE}, {@code US-CAL-CISO} or {@code GB}
 * @param validFrom     start of the interval the value holds for (inclusive)
 * @param validTo       end of the interval (exclusive); null = until the next value for the zone
 * @param gCo2ePerKWh   grams of CO2-equivalent per kilowatt-hour consumed
 * @param signal        AVERAGE (attributional) or MARGINAL
 * @param source        the provider of the value
 * @param estimated     true when the provider estimated rather than measured the value
 * @param forecast      true when the value is a forecast
 */
public record GridIntensityEvent(
        Integer schemaVersion,
        String zone,
        Instant validFrom,
        Instant validTo,
        BigDecimal gCo2ePerKWh,
        Signal signal,
        Source source,
        Boolean estimated,
        Boolean forecast) {

    public static final int SCHEMA_VERSION = 1;

    public enum Signal { AVERAGE, MARGINAL }

    public enum Source { ELECTRICITY_MAPS, WATTTIME, UK_NESO, STATIC_TABLE, FILE, MANUAL }
}
