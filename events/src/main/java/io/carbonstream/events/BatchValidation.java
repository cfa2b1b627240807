package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a {@link BatchEvent} must satisfy, shared by trainer-service (which answers HTTP 400) and
 * telemetry-service (which dead-letters the record). Field names in violations are the event's JSON names.
 */
public final class BatchValidation {

    /** Longest batch or reporting window accepted: 7 days. */
    public static final Duration MAX_BATCH_DURATION = Duration.ofDays(7);
    /** Most accelerators one worker may report. */
    public static final int MAX_ACCELERATORS_PER_WORKER = 4096;
    /** Most vCPUs one worker may report. */
    public static final int MAX_CPU_CORES_PER_WORKER = 8192;
    /** Most host memory one worker may report, in GB. */
    public static final double MAX_MEMORY_GB_PER_WORKER = 1_000_000;
    /** Most nodes one worker may account for. */
    public static final double MAX_HOST_NODES_PER_WORKER = 10_000;
    /** Highest average power one worker may report: 1 MW, far above any single node. */
    public static final double MAX_WORKER_POWER_WATTS = 1_000_000;

    private BatchValidation() {
    }

    public static List<Violation> validate(BatchEvent e) {
        List<Violation> v = new ArrayList<>();
        schemaVersion(v, e.schemaVersion(), BatchEvent.SCHEMA_VERSION);
        if (e.eventId() == null) {
            v.add(new Violation("eventId", "is required"));
        }
        id(v, "jobId", e.jobId(), true);
        id(v, "tenant", e.tenant(), true);
        id(v, "workerId", e.workerId(), true);
        if (e.step() == null) {
            v.add(new Violation("step", "is required"));
        } else if (e.step() < 0) {
            v.add(new Violation("step", "must be >= 0, was " + e.step()));
        }
        if (e.phase() == null) {
            v.add(new Violation("phase", "is required"));
        }
        interval(v, e.startedAt(), e.endedAt());
        count(v, "samples", e.samples(), true);
        count(v, "tokens", e.tokens(), true);
        flops(v, e.flops());
        if (e.acceleratorCount() == null) {
            v.add(new Violation("acceleratorCount", "is required"));
        } else if (e.acceleratorCount() < 0 || e.acceleratorCount() > MAX_ACCELERATORS_PER_WORKER) {
            v.add(new Violation("acceleratorCount", "must be in 0.." + MAX_ACCELERATORS_PER_WORKER
                    + ", was " + e.acceleratorCount()));
        }
        id(v, "acceleratorType", e.acceleratorType(), e.acceleratorCount() != null && e.acceleratorCount() > 0);
        if (e.utilization() != null && !(e.utilization() >= 0 && e.utilization() <= 1)) {
            v.add(new Violation("utilization", "must be in 0..1, was " + e.utilization()));
        }
        if (e.measuredPowerWatts() != null) {
            if (!(e.measuredPowerWatts() >= 0 && e.measuredPowerWatts() <= MAX_WORKER_POWER_WATTS)) {
                v.add(new Violation("measuredPowerWatts", "must be in 0.." + (long) MAX_WORKER_POWER_WATTS
                        + ", was " + e.measuredPowerWatts()));
            }
            if (e.powerSource() == null) {
                v.add(new Violation("powerSource", "is required with measuredPowerWatts"));
            }
        }
        if (e.powerTolerance() != null) {
            if (!(e.powerTolerance() >= 0 && e.powerTolerance() <= 1)) {
                v.add(new Violation("powerTolerance", "must be in 0..1 (a share: 0.05 is +/- 5 %), was " + e.powerTolerance()));
            } else if (e.measuredPowerWatts() == null) {
                v.add(new Violation("powerTolerance", "is the accuracy of measuredPowerWatts and needs it"));
            }
        }
        if (e.measuredCpuWatts() != null && !(e.measuredCpuWatts() >= 0 && e.measuredCpuWatts() <= MAX_WORKER_POWER_WATTS)) {
            v.add(new Violation("measuredCpuWatts", "must be in 0.." + (long) MAX_WORKER_POWER_WATTS
                    + ", was " + e.measuredCpuWatts()));
        }
        if (e.cpuSeconds() != null && !(e.cpuSeconds() >= 0 && Double.isFinite(e.cpuSeconds()))) {
            v.add(new Violation("cpuSeconds", "must be >= 0, was " + e.cpuSeconds()));
        }
        id(v, "cpuType", e.cpuType(), false);
        if (e.cpuType() != null && e.cpuCores() == null) {
            v.add(new Violation("cpuCores", "is required with cpuType"));
        } else if (e.cpuCores() != null && (e.cpuCores() < 1 || e.cpuCores() > MAX_CPU_CORES_PER_WORKER)) {
            v.add(new Violation("cpuCores", "must be in 1.." + MAX_CPU_CORES_PER_WORKER + ", was " + e.cpuCores()));
        }
        if (e.memoryGb() != null && !(e.memoryGb() >= 0 && e.memoryGb() <= MAX_MEMORY_GB_PER_WORKER)) {
            v.add(new Violation("memoryGb", "must be in 0.." + (long) MAX_MEMORY_GB_PER_WORKER + ", was " + e.memoryGb()));
        }
        id(v, "memoryType", e.memoryType(), false);
        id(v, "hostType", e.hostType(), false);
        if (e.hostNodes() != null && !(e.hostNodes() > 0 && e.hostNodes() <= MAX_HOST_NODES_PER_WORKER)) {
            v.add(new Violation("hostNodes", "must be in (0, " + (long) MAX_HOST_NODES_PER_WORKER + "], was " + e.hostNodes()));
        }
        id(v, "datacenter", e.datacenter(), true);
        return v;
    }

    /** Validates and throws the first violation, for callers that need one reason. */
    public static void require(BatchEvent e) {
        List<Violation> v = validate(e);
        if (!v.isEmpty()) {
            throw new InvalidEventException(v.get(0).field(), v.get(0).message());
        }
    }

    /** startedAt and endedAt: both present, in {@link Limits}, endedAt after startedAt, at most 7 days apart. */
    static void interval(List<Violation> v, java.time.Instant startedAt, java.time.Instant endedAt) {
        boolean start = instant(v, "startedAt", startedAt, true);
        boolean end = instant(v, "endedAt", endedAt, true);
        if (start && end) {
            Duration d = Duration.between(startedAt, endedAt);
            if (d.isNegative() || d.isZero()) {
                v.add(new Violation("endedAt", "must be after startedAt (duration was " + d + ")"));
            } else if (d.compareTo(MAX_BATCH_DURATION) > 0) {
                v.add(new Violation("endedAt", "batch lasts " + d + ", more than the maximum " + MAX_BATCH_DURATION));
            }
        }
    }

    /** An instant in {@link Limits#EARLIEST}..{@link Limits#LATEST}; true when present and in range. */
    static boolean instant(List<Violation> v, String field, java.time.Instant value, boolean required) {
        if (value == null) {
            if (required) {
                v.add(new Violation(field, "is required"));
            }
            return false;
        }
        if (!Limits.inRange(value)) {
            v.add(new Violation(field, Limits.outOfRange(value)));
            return false;
        }
        return true;
    }

    static void flops(List<Violation> v, BigDecimal flops) {
        if (flops != null && (flops.signum() < 0 || flops.compareTo(Limits.MAX_FLOPS) > 0)) {
            v.add(new Violation("flops", "must be in 0..1e30"));
        }
    }

    static void schemaVersion(List<Violation> v, Integer version, int known) {
        if (version == null) {
            v.add(new Violation("schemaVersion", "is required"));
        } else if (version < 1 || version > known) {
            v.add(new Violation("schemaVersion", "unsupported version " + version + " (this reader knows 1.." + known + ")"));
        }
    }

    /** An id (job, tenant, worker, hardware, data centre, zone): 1..128 printable ASCII characters without spaces. */
    public static void id(List<Violation> v, String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                v.add(new Violation(field, "is required"));
            }
        } else if (value.length() > Limits.MAX_ID_LENGTH) {
            v.add(new Violation(field, "is longer than " + Limits.MAX_ID_LENGTH + " characters"));
        } else if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            v.add(new Violation(field, "must be printable ASCII without spaces"));
        }
    }

    /**
     * An id a client chooses for a resource that carbonstream then serves at {@code /<kind>/<id>} (a job's id at
     * registration): an {@link #id} that is also one URL path segment as written, so 1..128 letters, digits, '.', '_'
     * or '-'. Ids that only travel on the topics (a worker, a tenant) follow {@link #id}.
     */
    public static void pathId(List<Violation> v, String field, String value) {
        if (value != null && !PATH_ID.matcher(value).matches()) {
            v.add(new Violation(field, "must be 1.." + Limits.MAX_ID_LENGTH + " letters, digits, '.', '_' or '-'"));
        }
    }

    private static final java.util.regex.Pattern PATH_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1," + Limits.MAX_ID_LENGTH + "}");

    /**
     * Free text (a name, a source): at most {@code max} characters, none of them NUL (U+0000, which PostgreSQL cannot
     * store in text) and no unpaired surrogate (which is no character at all and has no UTF-8 form).
     */
    public static void text(List<Violation> v, String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                v.add(new Violation(field, "is required"));
            }
            return;
        }
        if (value.length() > max) {
            v.add(new Violation(field, "is longer than " + max + " characters (" + value.length() + ")"));
            return;
        }
        String unstorable = unstorable(value);
        if (unstorable != null) {
            v.add(new Violation(field, unstorable));
        }
    }

    /**
     * A required statement of where figures come from: blank is "is required: {@code why}", anything else is
     * {@link #text} of at most {@link Limits#MAX_SOURCE_LENGTH} characters.
     */
    public static void source(List<Violation> v, String field, String value, String why) {
        if (value == null || value.isBlank()) {
            v.add(new Violation(field, "is required: " + why));
        } else {
            text(v, field, value, Limits.MAX_SOURCE_LENGTH, true);
        }
    }

    /** Why text cannot be stored as it is (a NUL, an unpaired surrogate), or null when it can. */
    private static String unstorable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "must not contain the NUL character (U+0000), at index " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode: an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase()
                        + ") at index " + i;
            }
        }
        return null;
    }

    static void count(List<Violation> v, String field, Long value, boolean required) {
        if (value == null) {
            if (required) {
                v.add(new Violation(field, "is required"));
            }
        } else if (value < 0 || value > Limits.MAX_COUNT) {
            v.add(new Violation(field, "must be in 0.." + Limits.MAX_COUNT + ", was " + value));
        }
    }

}
