package io.carbonstream.carbon.grid;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.GridIntensityEvent;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link IntensityTimeline#find} for one stream thread, without a range scan of the global store for every batch.
 * For each zone it remembers the answer of its last scan and the span of times that give the same answer: from the
 * start of the observation found (or the end of the last one, when none covers) to the millisecond of the next
 * observation's start. The store's keys are in milliseconds, so that span is exact. Every change to the store bumps
 * {@link IntensityTimeline#VERSION}, and a remembered answer of an older version is never used.
 */
public final class IntensityLookups {

    private record Span(long version, Instant from, Instant until, GridIntensityEvent observation) {
        boolean holds(long now, Instant at) {
            return version == now && !at.isBefore(from) && at.isBefore(until);
        }
    }

    private final ReadOnlyKeyValueStore<String, byte[]> timeline;
    private final Map<String, Span> spans = new HashMap<>();

    public IntensityLookups(ReadOnlyKeyValueStore<String, byte[]> timeline) {
        this.timeline = timeline;
    }

    /** The same answer as {@code IntensityTimeline.find(timeline, zone, at)}. */
    public Optional<GridIntensityEvent> find(String zone, Instant at) {
        long version = IntensityTimeline.VERSION.get();   // read before the store: a later change makes this stale
        Span span = spans.get(zone);
        if (span != null && span.holds(version, at)) {
            return Optional.ofNullable(span.observation());
        }
        GridIntensityEvent latest = null;
        String[] range = IntensityTimeline.lookupRange(zone, at);
        try (var it = timeline.reverseRange(range[0], range[1])) {
            if (it.hasNext()) {
                latest = EventJson.decode(it.next().value, GridIntensityEvent.class);
            }
        }
        Instant next = Instant.MAX;
        try (var it = timeline.range(IntensityTimeline.key(zone, at.toEpochMilli() + 1), IntensityTimeline.key(zone, Long.MAX_VALUE))) {
            if (it.hasNext()) {
                next = Instant.ofEpochMilli(EventJson.decode(it.next().value, GridIntensityEvent.class).validFrom().toEpochMilli());
            }
        }
        boolean covered = latest != null && IntensityTimeline.covers(latest, at);
        if (covered) {
            Instant until = latest.validTo() == null || latest.validTo().isAfter(next) ? next : latest.validTo();
            spans.put(zone, new Span(version, latest.validFrom(), until, latest));
        } else if (latest == null) {
            spans.put(zone, new Span(version, Instant.MIN, next, null));
        } else if (!latest.validFrom().isAfter(at)) {
            spans.put(zone, new Span(version, latest.validTo(), next, null));   // the latest one ended before at
        } else {
            spans.remove(zone);   // an observation later in at's own millisecond: not remembered
        }
        return covered ? Optional.of(latest) : Optional.empty();
    }
}
