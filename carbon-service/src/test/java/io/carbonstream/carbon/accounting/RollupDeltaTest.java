package io.carbonstream.carbon.accounting;

import io.carbonstream.events.EventJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollupDeltaTest {

    static Rollups.Delta delta(boolean first, long batches, String joules) {
        return new Rollups.Delta(first, batches, 10 * batches, new BigDecimal(joules), new BigDecimal(joules).multiply(new BigDecimal("1.1")),
                new BigDecimal(joules).multiply(new BigDecimal("400")), BigDecimal.ZERO, first ? 1 : 0);
    }

    @Test
    void deltasSumExactlyAndCountTheJobsTheyStart() {
        Rollups.Delta sum = delta(true, 1, "0.000001").plus(delta(false, 2, "3960.000000")).plus(delta(true, 1, "1000.5"));
        assertEquals(4, sum.batches());
        assertEquals(40, sum.tokens());
        assertEquals(new BigDecimal("4960.500001"), sum.itEnergyJoules());
        assertEquals(new BigDecimal("5456.5500011"), sum.facilityEnergyJoules());
        assertEquals(2, sum.jobsAdded());
        // sums in any order are the same
        Rollups.Delta other = delta(true, 1, "1000.5").plus(delta(true, 1, "0.000001")).plus(delta(false, 2, "3960.000000"));
        assertEquals(sum.itEnergyJoules(), other.itEnergyJoules());
        assertEquals(sum.carbonIntegral(), other.carbonIntegral());
        assertEquals(sum.jobsAdded(), other.jobsAdded());
    }

    @Test
    void aDeltaWrittenBeforeNewJobsExistedStillCountsItsJob() {
        String old = """
                {"newJob":true,"batches":1,"tokens":0,"itEnergyJoules":"71","facilityEnergyJoules":"80.585","carbonIntegral":"1","embodiedIntegral":"0"}""";
        Rollups.Delta d = EventJson.decode(old.getBytes(StandardCharsets.UTF_8), Rollups.Delta.class);
        assertEquals(1, d.jobsAdded());
        assertEquals(2, d.plus(d).jobsAdded());
        Rollups.Delta running = EventJson.decode(old.replace("true", "false").getBytes(StandardCharsets.UTF_8), Rollups.Delta.class);
        assertEquals(0, running.jobsAdded());
    }
}
