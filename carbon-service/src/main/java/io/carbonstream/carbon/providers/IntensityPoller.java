package io.carbonstream.carbon.providers;

import io.carbonstream.events.GridIntensityEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Polls providers for their zones: on success publishes the observations not published before (a cache of what
 * was sent, so an unchanged answer sends nothing) and polls again after {@code interval}; on failure backs off
 * exponentially (interval x 2^failures, at most {@code maxBackoff}) and reports the zone as DOWN, during which
 * carbon-service applies the zone's static annual value, labelled STATIC_TABLE. Call {@link #tick()} often.
 */
public final class IntensityPoller {

    /** Where one (provider, zone) stands, for {@code GET /intensity/providers}. */
    public record Status(String provider, String zone, String state, Instant lastSuccess, String lastError,
                         int failures, Instant nextAttempt, boolean staticFallback) {
    }

    private record Target(ProviderClient client, String zone) {
    }

    private final List<Target> targets = new ArrayList<>();
    private final Map<Target, Status> status = new ConcurrentHashMap<>();
    private final Set<String> sent = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    });
    private final Consumer<GridIntensityEvent> publish;
    private final Duration interval;
    private final Duration maxBackoff;
    private final Clock clock;

    public IntensityPoller(Consumer<GridIntensityEvent> publish, Duration interval, Duration maxBackoff, Clock clock) {
        this.publish = publish;
        this.interval = interval;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
    }

    public IntensityPoller add(ProviderClient client, String zone) {
        Target t = new Target(client, zone);
        targets.add(t);
        status.put(t, new Status(client.name(), zone, "PENDING", null, null, 0, clock.instant(), true));
        return this;
    }

    /** Polls every target whose next attempt is due. */
    public synchronized void tick() {
        Instant now = clock.instant();
        for (Target t : targets) {
            Status s = status.get(t);
            if (now.isBefore(s.nextAttempt())) {
                continue;
            }
            try {
                List<GridIntensityEvent> observations = t.client().fetch(t.zone());
                for (GridIntensityEvent o : observations) {
                    String key = o.source() + "|" + o.zone() + "|" + o.validFrom() + "|" + o.signal() + "|"
                            + o.gCo2ePerKWh().stripTrailingZeros().toPlainString() + "|" + o.forecast();
                    if (sent.add(key)) {
                        publish.accept(o);
                    }
                }
                status.put(t, new Status(s.provider(), s.zone(), "UP", now, null, 0, now.plus(interval), false));
            } catch (Exception e) {
                int failures = s.failures() + 1;
                Duration wait = interval.multipliedBy(1L << Math.min(failures, 20));
                if (wait.compareTo(maxBackoff) > 0) {
                    wait = maxBackoff;
                }
                status.put(t, new Status(s.provider(), s.zone(), "DOWN", s.lastSuccess(), e.getMessage(), failures,
                        now.plus(wait), true));
            }
        }
    }

    public List<Status> status() {
        return targets.stream().map(status::get).toList();
    }
}
