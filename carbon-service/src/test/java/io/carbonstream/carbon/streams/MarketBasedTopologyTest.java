package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.grid.DatacenterCatalog;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Phase;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.events.Scope2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.bounded;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.carbonstream.carbon.Fixtures.intensity;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Market-based Scope 2 through the topology: instruments by the batch's own time, exact in any order. */
class MarketBasedTopologyTest {

    @TempDir
    Path stateDir;

    CarbonTopologyDriver topology;

    /** NL (gcp-europe-west4): certificates for 60 % at 0 g/kWh during the hour from noon; a residual mix of 500 g/kWh. */
    static DatacenterCatalog catalog() {
        StaticTables tables = StaticTables.bundled();
        List<DatacenterCatalog.Site> sites = tables.datacenters().stream()
                .map(d -> new DatacenterCatalog.Site(d.id(), d.zone(), null, d.source())).toList();
        List<DatacenterCatalog.Pue> pues = tables.datacenters().stream()
                .map(d -> new DatacenterCatalog.Pue(d.id(), Instant.EPOCH, d.pue(), d.source())).toList();
        return new DatacenterCatalog(sites, pues, List.of(
                new DatacenterCatalog.Instrument("go-nl", "gcp-europe-west4", DatacenterCatalog.InstrumentKind.EAC, NOON,
                        NOON.plusSeconds(3600), new BigDecimal("0.6"), BigDecimal.ZERO, "test GOs"),
                new DatacenterCatalog.Instrument("go-fi", "gcp-europe-north1", DatacenterCatalog.InstrumentKind.EAC, NOON.minusSeconds(86400),
                        NOON.plusSeconds(86400), new BigDecimal("0.5"), BigDecimal.ZERO, "test GOs")),
                List.of(new DatacenterCatalog.ResidualMix("NL", Instant.EPOCH, new BigDecimal("500"), "test residual mix")));
    }

    @BeforeEach
    void start() {
        topology = new CarbonTopologyDriver(stateDir, "carbon-market-test", catalog());
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

    static EnergyEvent exact(String job, UUID id, long offset, String joules, String datacenter) {
        return bounded(energy(job, id, Phase.PRETRAIN, offset, joules, datacenter), EnergyMethod.MEASURED, joules, joules);
    }

    @Test
    void instrumentsApplyByTheBatchsOwnTimeAndTheResidualMixToTheRest() {
        topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON, null, "400")));
        // inside the certificates' hour, then (arriving later) before it
        send(exact("job-1", UUID.randomUUID(), 60, "3960.000", "gcp-europe-west4"));
        send(exact("job-1", UUID.randomUUID(), -600, "3960.000", "gcp-europe-west4"));
        FootprintEvent f = footprints().get("job-1");
        Scope2 s = f.scope2();
        // location-based: 4237.2 J x 400 + 4237.2 J x 569 (static, before noon) = 4105846.8; / 3.6e6 = 1.140513 g
        assertEquals(new BigDecimal("1.140513000"), f.operationalGCo2e());
        assertEquals(f.operationalGCo2e(), s.locationBasedGCo2e());
        // market-based: 4237.2 x (0.6 x 0 + 0.4 x 500) + 4237.2 x 500 = 847440 + 2118600 = 2966040; / 3.6e6 = 0.8239 g
        assertEquals(0, new BigDecimal("2966040").compareTo(s.marketBasedCarbonIntegral()));
        assertEquals(new BigDecimal("0.823900000"), s.marketBasedGCo2e());
        // its ends: the facility energy's (PUE 1.07 +/- half its overhead): 2 x 3960 x 1.035 x 350 and x 1.105 x 350
        assertEquals(new BigDecimal("0.796950000"), s.marketBasedGCo2eBounds().low());
        assertEquals(new BigDecimal("0.850850000"), s.marketBasedGCo2eBounds().high());
        assertEquals(0, BigDecimal.ZERO.compareTo(s.locationFallbackCarbonIntegral()));
        assertEquals(List.of("go-nl"), s.instruments());
    }

    @Test
    void withoutAResidualMixTheRestIsChargedLocationBasedAndTheFigureSaysSo() {
        // FI (gcp-europe-north1, PUE 1.09): certificates for half; FI has no residual mix here: static 211 g/kWh for the rest
        send(exact("job-fi", UUID.randomUUID(), 60, "1000.000", "gcp-europe-north1"));
        Scope2 s = footprints().get("job-fi").scope2();
        // 1000 x 1.09 = 1090 J; location 1090 x 211 = 229990; market 1090 x 0.5 x 211 = 114995, all of it fallback
        assertEquals(0, new BigDecimal("114995").compareTo(s.marketBasedCarbonIntegral()));
        assertEquals(0, new BigDecimal("114995").compareTo(s.locationFallbackCarbonIntegral()));
        assertEquals(new BigDecimal("1.000000"), s.locationFallbackShare());
        assertEquals(List.of("go-fi"), s.instruments());
    }

    @Test
    void marketBasedTotalsAreExactInAnyArrivalOrderWithDuplicatesAndAddUpInTheRollups() {
        topology.intensityIn.pipeInput("NL", EventJson.encode(intensity("NL", NOON, null, "400")));
        List<long[]> batches = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            batches.add(new long[] {-1800 + 400L * i, 1000 + 37L * i});
        }
        List<UUID> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            a.add(UUID.randomUUID());
            b.add(UUID.randomUUID());
        }
        for (int i = 0; i < batches.size(); i++) {
            send(exact("in-order", a.get(i), batches.get(i)[0], batches.get(i)[1] + ".000", "gcp-europe-west4"));
        }
        for (int i = batches.size() - 1; i >= 0; i--) {
            send(exact("reversed", b.get(i), batches.get(i)[0], batches.get(i)[1] + ".000", "gcp-europe-west4"));
            send(exact("reversed", b.get(i), batches.get(i)[0], batches.get(i)[1] + ".000", "gcp-europe-west4"));
        }
        Map<String, FootprintEvent> latest = footprints();
        assertEquals(16, latest.get("reversed").batches());
        assertEquals(latest.get("in-order").scope2(), latest.get("reversed").scope2());
        topology.driver.advanceWallClockTime(FootprintProcessor.FLUSH);
        Map<String, RollupEvent> rollups = new HashMap<>();
        topology.rollupsOut.readKeyValuesToList().forEach(kv -> rollups.put(kv.key, EventJson.decode(kv.value, RollupEvent.class)));
        Scope2 month = rollups.get("TENANT_MONTH|tenant-a 2026-03").scope2();
        assertEquals(0, month.marketBasedCarbonIntegral()
                .compareTo(latest.get("in-order").scope2().marketBasedCarbonIntegral().multiply(BigDecimal.valueOf(2))));
        assertEquals(List.of("go-nl"), month.instruments());
    }
}
