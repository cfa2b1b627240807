package io.carbonstream.carbon.grid;

import io.carbonstream.events.GridIntensityEvent;

import java.time.Instant;

/**
 * How observations of {@code grid.intensity} are keyed in carbon-service's timeline store, so that "the value
 * valid for zone Z at time t" is one reverse range scan: keys are {@code zone|validFrom-epoch-millis}, the millis
 * zero-padded to 20 digits so that text order is time order.
 */
public final class IntensityTimeline {

    private IntensityTimeline() {
    }

    public static String key(String zone, Instant validFrom) {
        return key(zone, validFrom.toEpochMilli());
    }

    static String key(String zone, long epochMillis) {
        return zone + "|" + String.format("%020d", Math.max(0, epochMillis));
    }

    /** The first and last key a lookup for (zone, at) scans, in reverse: the first hit is the latest start <= at. */
    public static String[] lookupRange(String zone, Instant at) {
        return new String[] {key(zone, 0), key(zone, at.toEpochMilli())};
    }

    /** Whether an observation holds at {@code at}: started at or before it, and not ended before it. */
    public static boolean covers(GridIntensityEvent observation, Instant at) {
        return !observation.validFrom().isAfter(at) && (observation.validTo() == null || at.isBefore(observation.validTo()));
    }
}
