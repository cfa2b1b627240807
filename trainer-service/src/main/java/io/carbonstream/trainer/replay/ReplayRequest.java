package io.carbonstream.trainer.replay;

import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Violation;
import io.carbonstream.trainer.job.JobRequest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /replays}: a planned or historical run, described by its totals, replayed as batches.
 *
 * @param acceleratorType       hardware profile id (required)
 * @param acceleratorCount      accelerators of the whole run (required)
 * @param hours                 wall-clock length; give exactly one of hours, days, deviceHours
 * @param days                  wall-clock length in days
 * @param deviceHours           accelerator-hours of the whole run (length = deviceHours / acceleratorCount)
 * @param averageUtilization    0..1, for the power model; or
 * @param averagePowerWatts     declared average power per accelerator (wins over the model, labelled DECLARED)
 * @param startedAt             when the run started (default: it ends now); the run must be over
 * @param windowMinutes         length of one replayed batch (default 60)
 * @param acceleratorsPerWorker accelerators per emitted worker (default: all, at most 4096)
 * @param windowsPerSecond      the accelerated clock: windows emitted per second (default 50; 0 = as fast as possible)
 */
public record ReplayRequest(String id, String tenant, String name, String model, Long modelParameters, Phase phase,
                            String acceleratorType, Integer acceleratorCount, BigDecimal hours, BigDecimal days,
                            BigDecimal deviceHours, Double averageUtilization, Double averagePowerWatts,
                            String datacenter, Instant startedAt, Integer windowMinutes, Integer acceleratorsPerWorker,
                            Integer windowsPerSecond) {

    /** This request for the tenant the caller's token names (see {@code Caller#actingTenant}). */
    public ReplayRequest withTenant(String tenant) {
        return new ReplayRequest(id, tenant, name, model, modelParameters, phase, acceleratorType, acceleratorCount, hours, days, deviceHours, averageUtilization, averagePowerWatts, datacenter, startedAt, windowMinutes, acceleratorsPerWorker, windowsPerSecond);
    }


    public static final int MAX_ACCELERATORS = 1_000_000;
    public static final int MAX_WINDOWS = 100_000;
    public static final int MAX_EVENTS = 1_000_000;
    private static final BigDecimal NANOS_PER_HOUR = BigDecimal.valueOf(3_600_000_000_000L);

    public List<Violation> validate(Instant now) {
        List<Violation> v = new ArrayList<>();
        if (acceleratorType == null || acceleratorType.isBlank()) {
            v.add(new Violation("acceleratorType", "is required"));
        }
        if (acceleratorCount == null) {
            v.add(new Violation("acceleratorCount", "is required"));
        } else if (acceleratorCount < 1 || acceleratorCount > MAX_ACCELERATORS) {
            v.add(new Violation("acceleratorCount", "must be in 1.." + MAX_ACCELERATORS + ", was " + acceleratorCount));
        }
        int lengths = (hours == null ? 0 : 1) + (days == null ? 0 : 1) + (deviceHours == null ? 0 : 1);
        if (lengths != 1) {
            v.add(new Violation("hours", "give exactly one of hours, days or deviceHours"));
        }
        positive(v, "hours", hours);
        positive(v, "days", days);
        positive(v, "deviceHours", deviceHours);
        if (averageUtilization != null && averagePowerWatts != null) {
            v.add(new Violation("averagePowerWatts", "give averageUtilization or averagePowerWatts, not both"));
        }
        if (averageUtilization != null && !(averageUtilization >= 0 && averageUtilization <= 1)) {
            v.add(new Violation("averageUtilization", "must be in 0..1, was " + averageUtilization));
        }
        if (averagePowerWatts != null && !(averagePowerWatts >= 0 && averagePowerWatts <= 100_000)) {
            v.add(new Violation("averagePowerWatts", "must be in 0..100000 per accelerator, was " + averagePowerWatts));
        }
        if (windowMinutes != null && (windowMinutes < 1 || windowMinutes > 7 * 24 * 60)) {
            v.add(new Violation("windowMinutes", "must be in 1..10080, was " + windowMinutes));
        }
        if (acceleratorsPerWorker != null && (acceleratorsPerWorker < 1 || acceleratorsPerWorker > BatchValidation.MAX_ACCELERATORS_PER_WORKER)) {
            v.add(new Violation("acceleratorsPerWorker", "must be in 1.." + BatchValidation.MAX_ACCELERATORS_PER_WORKER
                    + ", was " + acceleratorsPerWorker));
        }
        if (windowsPerSecond != null && (windowsPerSecond < 0 || windowsPerSecond > 100_000)) {
            v.add(new Violation("windowsPerSecond", "must be in 0..100000, was " + windowsPerSecond));
        }
        if (!v.isEmpty()) {
            return v;
        }
        Duration length = length();
        if (length.isZero()) {
            v.add(new Violation(lengthField(), "is shorter than a nanosecond"));
            return v;
        }
        Instant start = start(now);
        if (start.plus(length).isAfter(now.plus(JobRequest.CLOCK_SKEW))) {
            v.add(new Violation("startedAt", "the run would end at " + start.plus(length) + ", after now (" + now
                    + "): only finished runs can be replayed"));
        }
        long windows = windows();
        if (windows > MAX_WINDOWS) {
            v.add(new Violation("windowMinutes", windows + " windows; at most " + MAX_WINDOWS + " (use longer windows)"));
        } else if (windows * workers() > MAX_EVENTS) {
            v.add(new Violation("acceleratorsPerWorker", windows * workers() + " events; at most " + MAX_EVENTS
                    + " (use more accelerators per worker or longer windows)"));
        }
        return v;
    }

    private static void positive(List<Violation> v, String field, BigDecimal value) {
        if (value != null && value.signum() <= 0) {
            v.add(new Violation(field, "must be > 0, was " + value.toPlainString()));
        }
    }

    private String lengthField() {
        return hours != null ? "hours" : days != null ? "days" : "deviceHours";
    }

    /** Wall-clock length of the run, to the nanosecond. */
    public Duration length() {
        BigDecimal h = hours != null ? hours
                : days != null ? days.multiply(BigDecimal.valueOf(24))
                : deviceHours.divide(BigDecimal.valueOf(acceleratorCount), 30, RoundingMode.HALF_EVEN);
        return Duration.ofNanos(h.multiply(NANOS_PER_HOUR).setScale(0, RoundingMode.HALF_EVEN).longValueExact());
    }

    public Instant start(Instant now) {
        return startedAt != null ? startedAt : now.minus(length());
    }

    public Duration window() {
        return Duration.ofMinutes(windowMinutes == null ? 60 : windowMinutes);
    }

    public long windows() {
        long w = window().toNanos();
        return (length().toNanos() + w - 1) / w;
    }

    public int perWorker() {
        return acceleratorsPerWorker != null ? acceleratorsPerWorker
                : Math.min(acceleratorCount, BatchValidation.MAX_ACCELERATORS_PER_WORKER);
    }

    public int workers() {
        return (acceleratorCount + perWorker() - 1) / perWorker();
    }

    /** Accelerators of worker {@code i}: {@link #perWorker()}, the last one the remainder. */
    public int acceleratorsOf(int worker) {
        return Math.min(perWorker(), acceleratorCount - worker * perWorker());
    }

    public JobRequest toJob(Instant now) {
        return new JobRequest(id, tenant, name, model, modelParameters, phase, acceleratorType, perWorker(), workers(),
                null, null, null, null, null, null, datacenter, windows(), null,
                start(now));
    }
}
