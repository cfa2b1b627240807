package io.carbonstream.trainer.replay;

import io.carbonstream.events.PowerSource;
import io.carbonstream.trainer.batch.BatchReport;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReplayPlanTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

    static ReplayRequest request(Integer count, BigDecimal hours, BigDecimal days, BigDecimal deviceHours, Double watts,
                                 Integer window, Integer perWorker) {
        return new ReplayRequest(null, "t", "run", null, null, null, "google-tpu-v3", count, hours, days, deviceHours,
                null, watts, "gcp-us-central1", START, window, perWorker, 0);
    }

    @Test
    void windowsCoverTheRunExactlyWithAShorterLastWindow() {
        ReplayRequest r = request(8, new BigDecimal("2.5"), null, null, 310.0, 60, null);
        assertEquals(List.of(), r.validate(NOW));
        assertEquals(3, r.windows());
        assertEquals(1, r.workers());
        List<BatchReport> last = ReplayPlan.window(r, START, 2);
        assertEquals(START.plus(Duration.ofMinutes(120)), last.get(0).startedAt());
        assertEquals(START.plus(Duration.ofMinutes(150)), last.get(0).endedAt());
        Duration total = Duration.ZERO;
        for (long i = 0; i < r.windows(); i++) {
            BatchReport b = ReplayPlan.window(r, START, i).get(0);
            total = total.plus(Duration.between(b.startedAt(), b.endedAt()));
            assertEquals(2480.0, b.measuredPowerWatts(), "310 W x 8 accelerators");
            assertEquals(PowerSource.DECLARED, b.powerSource());
            assertEquals(i, b.step());
        }
        assertEquals(Duration.ofMinutes(150), total);
    }

    @Test
    void acceleratorsAreSplitOverWorkersTheLastTakingTheRemainder() {
        // GPT-3 in Patterson et al. 2021: 10,000 V100 for 14.8 days
        ReplayRequest r = request(10_000, null, new BigDecimal("14.8"), null, 330.0, 60, null);
        assertEquals(List.of(), r.validate(NOW.plus(Duration.ofDays(30))));
        assertEquals(Duration.ofMinutes((long) (14.8 * 24 * 60)), r.length());
        assertEquals(356, r.windows()); // 355.2 hours
        assertEquals(3, r.workers());
        List<BatchReport> window = ReplayPlan.window(r, START, 0);
        assertEquals(List.of(4096, 4096, 1808), window.stream().map(BatchReport::acceleratorCount).toList());
        assertEquals(1808 * 330.0, window.get(2).measuredPowerWatts());
        List<BatchReport> last = ReplayPlan.window(r, START, 355);
        assertEquals(Duration.ofMinutes(12), Duration.between(last.get(0).startedAt(), last.get(0).endedAt()));
    }

    @Test
    void deviceHoursGiveTheLengthAndUtilizationLeavesPowerToTheModel() {
        ReplayRequest r = new ReplayRequest(null, "t", "run", null, null, null, "nvidia-a100-sxm4-40gb", 16, null, null,
                new BigDecimal("40"), 0.6, null, "aws-us-east-1", START, 30, 8, 0);
        assertEquals(Duration.ofMinutes(150), r.length()); // 40 device-hours / 16 devices
        assertEquals(2, r.workers());
        BatchReport b = ReplayPlan.window(r, START, 0).get(1);
        assertEquals(0.6, b.utilization());
        assertNull(b.measuredPowerWatts());
        assertNull(b.powerSource());
    }

    @Test
    void impossibleRunsAreNamedField() {
        assertEquals("hours", request(8, new BigDecimal("1"), new BigDecimal("1"), null, null, 60, null).validate(NOW).get(0).field());
        assertEquals("hours", request(8, new BigDecimal("-1"), null, null, null, 60, null).validate(NOW).get(0).field());
        assertEquals("acceleratorCount", request(0, new BigDecimal("1"), null, null, null, 60, null).validate(NOW).get(0).field());
        // a run that has not ended yet
        assertEquals("startedAt", request(8, new BigDecimal("24"), null, null, null, 60, null)
                .validate(START.plus(Duration.ofHours(1))).get(0).field());
        // a year of one-minute windows is too many
        assertEquals("windowMinutes", request(8, null, new BigDecimal("365"), null, null, 1, null)
                .validate(NOW.plus(Duration.ofDays(400))).get(0).field());
    }
}
