package io.carbonstream.benchmarks;

import io.carbonstream.carbon.accounting.Carbon;
import io.carbonstream.events.EventJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmarks time the real work: each computes what the pipeline does, exactly. */
class PerEventWorkTest {

    @Test
    void eachBenchmarkDoesThePipelinesWork() {
        PerEventWork w = new PerEventWork();
        w.setup();
        // 8 devices x (50 + 350 x 0.8 = 330 W) x 1 s
        assertEquals(new BigDecimal("2640.000000"), w.powerModelAndEnergy().energyJoules().total());
        // PUE 1.58 of on-prem-de
        assertEquals(0, new BigDecimal("4171.2").compareTo(w.charge().facilityJoules()));
        var f = w.perEventWork();
        assertEquals(42, f.batches(), "the 42nd batch of the job");
        assertEquals(0, new BigDecimal("110880").compareTo(f.itEnergyJoules().total()), "42 x 2640 J");
        assertEquals(0, Carbon.grams(w.charge().carbonIntegral().multiply(BigDecimal.valueOf(42)))
                .compareTo(f.operationalGCo2e()), "42 equal charges");
        assertEquals(w.accumulate(), f);
        // decoded, each reads back as what was written
        assertArrayEquals(w.batchJson, EventJson.encode(w.decodeBatch()));
        assertArrayEquals(w.energyJson, EventJson.encode(w.decodeEnergy()));
        assertArrayEquals(w.footprintJson, EventJson.encode(w.decodeFootprint()));
        assertArrayEquals(w.energyJson, w.encodeEnergy());
        assertArrayEquals(w.footprintJson, w.encodeFootprint());
    }
}
