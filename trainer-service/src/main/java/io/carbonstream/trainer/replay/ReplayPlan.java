package io.carbonstream.trainer.replay;

import io.carbonstream.events.PowerSource;
import io.carbonstream.trainer.batch.BatchReport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches of a replayed run: its length cut into windows (the last one shorter when the length is not a
 * whole number of windows), one report per window per worker. The windows add up to the run's length exactly,
 * and the workers' accelerators to its accelerator count.
 */
public final class ReplayPlan {

    private ReplayPlan() {
    }

    /** The reports of window {@code index} (0-based), one per worker. */
    public static List<BatchReport> window(ReplayRequest r, Instant start, long index) {
        Duration window = r.window();
        Instant from = start.plus(window.multipliedBy(index));
        Instant end = start.plus(r.length());
        Instant to = from.plus(window).isAfter(end) ? end : from.plus(window);
        List<BatchReport> reports = new ArrayList<>(r.workers());
        for (int w = 0; w < r.workers(); w++) {
            int accelerators = r.acceleratorsOf(w);
            Double watts = r.averagePowerWatts() == null ? null : r.averagePowerWatts() * accelerators;
            reports.add(new BatchReport(null, String.valueOf(w), index, null, from, to, 0L, 0L, null, accelerators,
                    r.averageUtilization(), watts, watts == null ? null : PowerSource.DECLARED, null));
        }
        return reports;
    }
}
