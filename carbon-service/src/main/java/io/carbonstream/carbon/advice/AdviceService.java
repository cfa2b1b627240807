package io.carbonstream.carbon.advice;

import io.carbonstream.carbon.grid.IntensityTimeline;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Carbon-aware advice from the observations (forecasts included) in the intensity timeline, with each zone's
 * static value where none covers a time: the best start for a job of a given length, and the best zone.
 */
@ApplicationScoped
public class AdviceService {

    /** Where a window of a zone stands: its average intensity, and whether forecasts or static values entered it. */
    public record Window(String zone, Instant start, Instant end, BigDecimal averageGCo2ePerKWh) {
    }

    /** The best start in a period, against starting at the period's beginning. */
    public record BestWindow(String zone, Duration length, Window best, Window atStart, BigDecimal savedGCo2ePerKWh,
                             BigDecimal energyKWh, BigDecimal savedGCo2e, int candidates) {
    }

    @Inject
    io.carbonstream.carbon.query.Queries queries;

    @Inject
    StaticTables tables;

    public BestWindow bestWindow(String zone, Duration length, Instant from, Instant to, BigDecimal energyKWh) {
        if (!to.isAfter(from.plus(length).minusNanos(1))) {
            throw ProblemException.invalidField("to", "the period must be at least as long as the job");
        }
        ReadOnlyKeyValueStore<String, byte[]> timeline = timeline();
        List<GridIntensityEvent> observations = IntensityTimeline.history(timeline, zone, from.minus(Duration.ofDays(7)), to);
        TreeSet<Instant> starts = new TreeSet<>();
        starts.add(from);
        for (GridIntensityEvent g : observations) {
            for (Instant t : new Instant[] {g.validFrom(), g.validTo()}) {
                if (t != null && !t.isBefore(from) && !t.plus(length).isAfter(to)) {
                    starts.add(t);
                }
            }
        }
        Window first = window(timeline, zone, from, length, observations);
        Window best = first;
        for (Instant start : starts) {
            Window w = window(timeline, zone, start, length, observations);
            if (w.averageGCo2ePerKWh().compareTo(best.averageGCo2ePerKWh()) < 0) {
                best = w;
            }
        }
        BigDecimal saved = first.averageGCo2ePerKWh().subtract(best.averageGCo2ePerKWh());
        return new BestWindow(zone, length, best, first, saved.setScale(3, RoundingMode.HALF_EVEN), energyKWh,
                energyKWh == null ? null : saved.multiply(energyKWh).setScale(3, RoundingMode.HALF_EVEN), starts.size());
    }

    public List<Window> bestZones(List<String> zones, Instant start, Duration length) {
        ReadOnlyKeyValueStore<String, byte[]> timeline = timeline();
        List<Window> windows = new ArrayList<>();
        for (String zone : zones) {
            List<GridIntensityEvent> observations = IntensityTimeline.history(timeline, zone, start.minus(Duration.ofDays(7)),
                    start.plus(length));
            windows.add(window(timeline, zone, start, length, observations));
        }
        windows.sort(Comparator.comparing(Window::averageGCo2ePerKWh));
        return windows;
    }

    private Window window(ReadOnlyKeyValueStore<String, byte[]> timeline, String zone, Instant start, Duration length,
                          List<GridIntensityEvent> observations) {
        List<Instant> breakpoints = new ArrayList<>();
        observations.forEach(g -> {
            breakpoints.add(g.validFrom());
            if (g.validTo() != null) {
                breakpoints.add(g.validTo());
            }
        });
        Optional<BigDecimal> fallback = tables.annualIntensity(zone);
        Instant end = start.plus(length);
        BigDecimal average = WindowAverage.of(start, end, breakpoints,
                t -> IntensityTimeline.find(timeline, zone, t).map(GridIntensityEvent::gCo2ePerKWh).or(() -> fallback))
                .orElseThrow(() -> ProblemException.invalidField("zone", "no intensity for zone " + zone
                        + " over the window and no static value"));
        return new Window(zone, start, end, average.setScale(3, RoundingMode.HALF_EVEN));
    }

    private ReadOnlyKeyValueStore<String, byte[]> timeline() {
        return queries.local(io.carbonstream.carbon.query.StoreNames.INTENSITY_STORE);
    }
}
