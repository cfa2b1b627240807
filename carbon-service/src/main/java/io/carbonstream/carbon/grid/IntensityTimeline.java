package io.carbonstream.carbon.grid;

import io.carbonstream.events.GridIntensityEvent;

import java.time.Instant;

/**
 * How observations of {@code grid.intensity} are keyed in carbon-service's timeline store, so that "the value
 * valid for zone Z at time t" is one reverse range scan: keys are {@code zone|validFrom-epoch-millis}, the millis
 * zero-padded to 20 digits so that text order is time order.
 */
public final class IntensityTimeline {

    /** Bumped after every change to a timeline store, so that remembered look-ups ({@link IntensityLookups}) expire. */
    public static final java.util.concurrent.atomic.AtomicLong VERSION = new java.util.concurrent.atomic.AtomicLong();

    private IntensityTimeline() {
    }

    public static String key(String zone, Instant validFrom) {
        return key(zone, validFrom.toEpochMilli());
    }

    static String key(String zone, long epochMillis) {
        return zone + "|" + io.carbonstream.streams.SortableKeys.zeroPadded(Math.max(0, epochMillis));
    }

    /** The first and last key a lookup for (zone, at) scans, in reverse: the first hit is the latest start <= at. */
    public static String[] lookupRange(String zone, Instant at) {
        return new String[] {key(zone, 0), key(zone, at.toEpochMilli())};
    }

    /**
     * The observation of {@code zone} that holds at {@code at}: the latest one starting at or before it, if it has
     * not ended by then.
     */
    public static java.util.Optional<GridIntensityEvent> find(
            org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, byte[]> timeline, String zone, Instant at) {
        String[] range = lookupRange(zone, at);
        try (var it = timeline.reverseRange(range[0], range[1])) {
            if (it.hasNext()) {
                GridIntensityEvent g = io.carbonstream.events.EventJson.decode(it.next().value, GridIntensityEvent.class);
                if (covers(g, at)) {
                    return java.util.Optional.of(g);
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** Every observation of {@code zone} starting in [from, to], oldest first. */
    public static java.util.List<GridIntensityEvent> history(
            org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, byte[]> timeline, String zone, Instant from, Instant to) {
        java.util.List<GridIntensityEvent> out = new java.util.ArrayList<>();
        try (var it = timeline.range(key(zone, from), key(zone, to))) {
            it.forEachRemaining(kv -> out.add(io.carbonstream.events.EventJson.decode(kv.value, GridIntensityEvent.class)));
        }
        return out;
    }

    /** Whether an observation holds at {@code at}: started at or before it, and not ended before it. */
    public static boolean covers(GridIntensityEvent observation, Instant at) {
        return !observation.validFrom().isAfter(at) && (observation.validTo() == null || at.isBefore(observation.validTo()));
    }
}
