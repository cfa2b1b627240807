package io.carbonstream.carbon;

import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.Phase;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Energy and intensity events with round figures. */
public final class Fixtures {

    public static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    private Fixtures() {
    }

    /** A 1.5 s batch starting {@code offsetSeconds} after noon with {@code joules} of accelerator energy. */
    public static EnergyEvent energy(String job, UUID id, Phase phase, long offsetSeconds, String joules, String datacenter) {
        Instant start = NOON.plusSeconds(offsetSeconds);
        return new EnergyEvent(1, id, job, "tenant-a", "0", Math.abs(offsetSeconds), phase, start, start.plusMillis(1500), 32L,
                4096L, new BigDecimal("1000000000000"), "test-gpu", 8, datacenter,
                new Energy(new BigDecimal(joules).setScale(Energy.SCALE), BigDecimal.ZERO.setScale(Energy.SCALE),
                        BigDecimal.ZERO.setScale(Energy.SCALE), BigDecimal.ZERO.setScale(Energy.SCALE)),
                1000.0, EnergyMethod.MODELED, "test-gpu", 1, start);
    }

    /** The same energy event as obtained by {@code method}, with the IT energy bounds {@code low..high} (schema 2). */
    public static EnergyEvent bounded(EnergyEvent e, EnergyMethod method, String low, String high) {
        return new EnergyEvent(2, e.eventId(), e.jobId(), e.tenant(), e.workerId(), e.step(), e.phase(), e.startedAt(),
                e.endedAt(), e.samples(), e.tokens(), e.flops(), e.acceleratorType(), e.acceleratorCount(), e.datacenter(),
                e.energyJoules(), e.averagePowerWatts(), method, e.powerModelId(), e.powerModelVersion(), e.computedAt(),
                new io.carbonstream.events.Bounds(new BigDecimal(low), new BigDecimal(high)));
    }

    /** {@code e} as obtained by {@code method}, carrying {@code idle} joules of its worker's idle time. */
    public static EnergyEvent withIdle(EnergyEvent e, EnergyMethod method, String idle) {
        return new EnergyEvent(e.schemaVersion(), e.eventId(), e.jobId(), e.tenant(), e.workerId(), e.step(), e.phase(),
                e.startedAt(), e.endedAt(), e.samples(), e.tokens(), e.flops(), e.acceleratorType(), e.acceleratorCount(),
                e.datacenter(), e.energyJoules().withIdle(new BigDecimal(idle)), e.averagePowerWatts(), method,
                e.powerModelId(), e.powerModelVersion(), e.computedAt(), null);
    }

    /** Waits up to 10 s for {@code job}'s footprint to count {@code batches} batches (the assertions after it say). */
    public static void awaitBatches(String job, int batches) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var r = io.restassured.RestAssured.given().when().get("/footprints/" + job);
            if (r.statusCode() == 200 && r.jsonPath().getInt("batches") == batches) {
                return;
            }
            Thread.sleep(100);
        }
    }

    public static GridIntensityEvent intensity(String zone, Instant from, Instant to, String grams) {
        return new GridIntensityEvent(1, zone, from, to, new BigDecimal(grams), GridIntensityEvent.Signal.AVERAGE,
                GridIntensityEvent.Source.MANUAL, false, false);
    }
}
