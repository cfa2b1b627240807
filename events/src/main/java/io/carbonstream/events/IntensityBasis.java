package io.carbonstream.events;

/** What kind of grid intensity a batch was charged: the data-quality classes of docs/methodology.md. */
public enum IntensityBasis {
    /** A provider's value for the hour, as measured (Electricity Maps, WattTime, UK NESO). */
    LIVE,
    /** A provider's value that the provider itself estimated (flag {@code estimated}). */
    ESTIMATED,
    /** A forecast (flag {@code forecast}), charged because no actual value covered the batch. */
    FORECAST,
    /** A value an operator entered by hand or from a file ({@code MANUAL}, {@code FILE}). */
    MANUAL,
    /** The zone's static annual average, charged when no observation covered the batch's time. */
    STATIC;

    /** The basis of an observation of {@code grid.intensity}. */
    public static IntensityBasis of(GridIntensityEvent.Source source, Boolean estimated, Boolean forecast) {
        if (source == GridIntensityEvent.Source.STATIC_TABLE) {
            return STATIC;
        }
        if (Boolean.TRUE.equals(forecast)) {
            return FORECAST;
        }
        if (source == GridIntensityEvent.Source.MANUAL || source == GridIntensityEvent.Source.FILE) {
            return MANUAL;
        }
        return Boolean.TRUE.equals(estimated) ? ESTIMATED : LIVE;
    }
}
