package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.Phase;
import io.carbonstream.events.RollupEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.bounded;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.carbonstream.carbon.Fixtures.intensity;
import static io.carbonstream.carbon.Fixtures.withIdle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounds and data quality through the topology: exact, in any arrival order, with duplicates. */
class UncertaintyTopologyTest {

    @TempDir
    Path stateDir;

    CarbonTopologyDriver topology;

    @BeforeEach
    void start() {
        topology = new CarbonTopologyDriver(stateDir, "carbon-uncertainty-test", io.carbonstream.carbon.grid.DatacenterCatalog.of(StaticTables.bundled()));
    }

    @AfterEach
    void stop() {
        topology.close();
    }

    void send(EnergyEvent e) {
        topology.send(e);
    }

    Map<String, FootprintEvent> footprints() {
        return topology.footprints();
    }

    static void assertBounds(String low, String high, Bounds b) {
        assertEquals(new BigDecimal(low), b.low().stripTrailingZeros(), "low of " + b);
        assertEquals(new BigDecimal(high), b.high().stripTrailingZeros(), "high of " + b);
    }

    static BigDecimal relativeWidth(FootprintEvent f) {
        Bounds b = f.uncertainty().operationalGCo2e();
        return b.high().subtract(b.low()).divide(f.operationalGCo2e(), 9, java.math.RoundingMode.HALF_EVEN);
    }

    @Test
    void oneBatchIsChargedEveryInputAtItsLowAndAtItsHighEnd() {
        // NL, 400 g/kWh entered by hand: +/- 10 %, 360..440; gcp-europe-west4's PUE 1.07 without a stated range:
        // overhead +/- 50 %, 1.035..1.105; the batch measured 3960 J within 3762..4158 J (NVML, +/- 5 %)
        topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON, null, "400")));
        send(bounded(energy("job-1", UUID.randomUUID(), Phase.PRETRAIN, 60, "3960.000", "gcp-europe-west4"),
                EnergyMethod.MEASURED, "3762", "4158"));
        FootprintEvent f = footprints().get("job-1");
        assertEquals(new BigDecimal("0.470800000"), f.operationalGCo2e());
        assertBounds("3762", "4158", f.uncertainty().itEnergyJoules());
        // 3762 x 1.035 = 3893.67 J; 4158 x 1.105 = 4594.59 J
        assertBounds("3893.67", "4594.59", f.uncertainty().facilityEnergyJoules());
        // x 360 = 1401721.2 and x 440 = 2021619.6 J g/kWh; / 3.6e6 = 0.389367 and 0.561561 g
        assertBounds("1401721.2", "2021619.6", f.uncertainty().carbonIntegral());
        assertBounds("0.389367", "0.561561", f.uncertainty().operationalGCo2e());
        assertTrue(f.uncertainty().operationalGCo2e().contains(f.operationalGCo2e()));
        assertTrue(f.uncertainty().embodiedGCo2e().contains(f.embodiedGCo2e()));
        assertEquals(new BigDecimal("1.000000"), f.dataQuality().energyShare().get(EnergyMethod.MEASURED));
        assertEquals(new BigDecimal("1.000000"), f.dataQuality().co2eShare().get(IntensityBasis.MANUAL));
        assertEquals(new BigDecimal("1.035"), f.lastIntensity().pueBounds().low().stripTrailingZeros());
        assertEquals(IntensityBasis.MANUAL, f.lastIntensity().basis());
    }

    @Test
    void boundsAndDataQualityAreExactSumsInAnyArrivalOrderWithDuplicates() {
        // the first hour has a provider's value, the second a forecast; batches before noon fall back to the static table
        topology.intensityIn.pipeInput("NL", EventJson.encode(new GridIntensityEvent(1, "NL", NOON, NOON.plusSeconds(3600),
                new BigDecimal("321"), GridIntensityEvent.Signal.AVERAGE, GridIntensityEvent.Source.ELECTRICITY_MAPS, false, false)));
        topology.intensityIn.pipeInput("NL", EventJson.encode(new GridIntensityEvent(1, "NL", NOON.plusSeconds(3600), null,
                new BigDecimal("287"), GridIntensityEvent.Signal.AVERAGE, GridIntensityEvent.Source.ELECTRICITY_MAPS, false, true)));
        Random random = new Random(7);
        List<Integer> order = new ArrayList<>();
        List<String[]> batches = new ArrayList<>();
        EnergyMethod[] methods = EnergyMethod.values();
        for (int i = 0; i < 24; i++) {
            long offset = -1800 + 300L * i; // from 11:30 to 13:25
            String joules = (1000 + random.nextInt(9000)) + "." + (100000 + random.nextInt(900000));
            BigDecimal j = new BigDecimal(joules);
            batches.add(new String[] {String.valueOf(offset), joules, methods[i % 3].name(),
                    j.multiply(new BigDecimal("0.9")).toPlainString(), j.multiply(new BigDecimal("1.3")).toPlainString()});
            order.add(i);
        }
        Map<Integer, UUID> idsA = new HashMap<>();
        Map<Integer, UUID> idsB = new HashMap<>();
        for (int i : order) {
            idsA.put(i, UUID.randomUUID());
            idsB.put(i, UUID.randomUUID());
        }
        // job A in time order; job B shuffled, every batch sent twice
        for (int i : order) {
            send(event("job-a", idsA.get(i), batches.get(i)));
        }
        List<Integer> shuffled = new ArrayList<>(order);
        shuffled.addAll(order);
        Collections.shuffle(shuffled, random);
        for (int i : shuffled) {
            send(event("job-b", idsB.get(i), batches.get(i)));
        }
        Map<String, FootprintEvent> latest = footprints();
        FootprintEvent a = latest.get("job-a");
        FootprintEvent b = latest.get("job-b");
        assertEquals(24, b.batches());
        assertEquals(a.uncertainty(), b.uncertainty());
        assertEquals(a.dataQuality(), b.dataQuality());
        // IT energy's bounds are the plain sums of the batches' bounds
        BigDecimal low = batches.stream().map(x -> new BigDecimal(x[3])).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal high = batches.stream().map(x -> new BigDecimal(x[4])).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, low.compareTo(b.uncertainty().itEnergyJoules().low()));
        assertEquals(0, high.compareTo(b.uncertainty().itEnergyJoules().high()));
        // every class is there, and the classes add up to the totals exactly
        assertEquals(0, b.dataQuality().facilityEnergyJoules().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .compareTo(b.facilityEnergyJoules()));
        assertEquals(0, b.dataQuality().carbonIntegral().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .compareTo(b.carbonIntegral()));
        assertEquals(java.util.Set.of(IntensityBasis.STATIC, IntensityBasis.LIVE, IntensityBasis.FORECAST),
                b.dataQuality().carbonIntegral().keySet());
        assertEquals(3, b.dataQuality().facilityEnergyJoules().size());
        assertTrue(b.uncertainty().operationalGCo2e().contains(b.operationalGCo2e()));
        // the tenant's roll-up and month carry both jobs' bounds and classes: exactly twice job A's
        topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        Map<String, RollupEvent> rollups = new HashMap<>();
        topology.rollupsOut.readKeyValuesToList().forEach(kv -> rollups.put(kv.key, EventJson.decode(kv.value, RollupEvent.class)));
        for (RollupEvent r : List.of(rollups.get("TENANT|tenant-a"), rollups.get("TENANT_MONTH|tenant-a 2026-03"))) {
            assertEquals(48, r.batches());
            assertEquals(0, r.uncertainty().carbonIntegral().low()
                    .compareTo(a.uncertainty().carbonIntegral().low().multiply(BigDecimal.valueOf(2))));
            assertEquals(0, r.uncertainty().carbonIntegral().high()
                    .compareTo(a.uncertainty().carbonIntegral().high().multiply(BigDecimal.valueOf(2))));
            assertEquals(0, r.uncertainty().embodiedIntegral().high()
                    .compareTo(a.uncertainty().embodiedIntegral().high().multiply(BigDecimal.valueOf(2))));
            assertEquals(0, r.dataQuality().carbonIntegral().get(IntensityBasis.FORECAST)
                    .compareTo(a.dataQuality().carbonIntegral().get(IntensityBasis.FORECAST).multiply(BigDecimal.valueOf(2))));
            assertEquals(a.dataQuality().co2eShare(), r.dataQuality().co2eShare());
        }
    }

    static EnergyEvent event(String job, UUID id, String[] b) {
        return bounded(energy(job, id, Phase.PRETRAIN, Long.parseLong(b[0]), b[1], "gcp-europe-west4"),
                EnergyMethod.valueOf(b[2]), b[3], b[4]);
    }

    @Test
    void aStaticAverageIsWiderThanAProvidersValueAndDataQualitySaysWhich() {
        // NL's provider value covers noon to one only; the batch before noon is charged the static annual average
        topology.intensityIn.pipeInput("NL", EventJson.encode(new GridIntensityEvent(1, "NL", NOON, NOON.plusSeconds(3600),
                new BigDecimal("569"), GridIntensityEvent.Signal.AVERAGE, GridIntensityEvent.Source.ELECTRICITY_MAPS, false, false)));
        send(bounded(energy("live", UUID.randomUUID(), Phase.PRETRAIN, 60, "3960.000", "gcp-europe-west4"),
                EnergyMethod.MEASURED, "3762", "4158"));
        send(bounded(energy("static", UUID.randomUUID(), Phase.PRETRAIN, -600, "3960.000", "gcp-europe-west4"),
                EnergyMethod.MEASURED, "3762", "4158"));
        Map<String, FootprintEvent> latest = footprints();
        FootprintEvent live = latest.get("live");
        FootprintEvent fallback = latest.get("static");
        // the same value (569 g/kWh), the same energy: only the intensity's basis differs
        assertEquals(live.operationalGCo2e(), fallback.operationalGCo2e());
        assertEquals(IntensityBasis.STATIC, fallback.lastIntensity().basis());
        assertEquals(IntensityBasis.LIVE, live.lastIntensity().basis());
        assertTrue(relativeWidth(fallback).compareTo(relativeWidth(live)) > 0,
                relativeWidth(fallback) + " > " + relativeWidth(live));
        assertEquals(new BigDecimal("1.000000"), fallback.dataQuality().co2eShare().get(IntensityBasis.STATIC));
        assertEquals(new BigDecimal("1.000000"), live.dataQuality().co2eShare().get(IntensityBasis.LIVE));
    }

    @Test
    void anEnergyEventWithoutBoundsGetsItsMethodsTolerance() {
        // schema version 1 carried no bounds: a modelled 3960 J counts as 3960 +/- 40 %
        topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON, null, "400")));
        send(energy("old", UUID.randomUUID(), Phase.PRETRAIN, 60, "3960.000", "gcp-europe-west4"));
        FootprintEvent f = footprints().get("old");
        assertBounds("2376", "5544", f.uncertainty().itEnergyJoules());
        assertEquals(new BigDecimal("1.000000"), f.dataQuality().energyShare().get(EnergyMethod.MODELED));
    }

    @Test
    void idleTimeCountsAsModelledWhicheverBatchCarriesIt() {
        // a worker's 500 J of idle time is carried by its measured batch in one job and by its modelled batch in the
        // other (which one depends on arrival order); data quality must not depend on it: idle time is priced at
        // the profiles' idle power, so it is MODELED
        topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON, null, "400")));
        send(withIdle(energy("idle-on-measured", UUID.randomUUID(), Phase.PRETRAIN, 60, "1000.000", "gcp-europe-west4"),
                EnergyMethod.MEASURED, "500"));
        send(withIdle(energy("idle-on-measured", UUID.randomUUID(), Phase.PRETRAIN, 120, "2000.000", "gcp-europe-west4"),
                EnergyMethod.MODELED, "0"));
        send(withIdle(energy("idle-on-modelled", UUID.randomUUID(), Phase.PRETRAIN, 60, "1000.000", "gcp-europe-west4"),
                EnergyMethod.MEASURED, "0"));
        send(withIdle(energy("idle-on-modelled", UUID.randomUUID(), Phase.PRETRAIN, 120, "2000.000", "gcp-europe-west4"),
                EnergyMethod.MODELED, "500"));
        Map<String, FootprintEvent> latest = footprints();
        FootprintEvent a = latest.get("idle-on-measured");
        FootprintEvent b = latest.get("idle-on-modelled");
        assertEquals(0, a.facilityEnergyJoules().compareTo(b.facilityEnergyJoules()));
        // PUE 1.07: measured 1000 J x 1.07 = 1070 J; modelled (2000 + 500) J x 1.07 = 2675 J
        assertEquals(0, new BigDecimal("1070").compareTo(a.dataQuality().facilityEnergyJoules().get(EnergyMethod.MEASURED)));
        assertEquals(0, new BigDecimal("2675").compareTo(a.dataQuality().facilityEnergyJoules().get(EnergyMethod.MODELED)));
        assertEquals(a.dataQuality(), b.dataQuality());
        // 1070 / 3745 = 0.285714, 2675 / 3745 = 0.714286
        assertEquals(new BigDecimal("0.285714"), a.dataQuality().energyShare().get(EnergyMethod.MEASURED));
    }
}
