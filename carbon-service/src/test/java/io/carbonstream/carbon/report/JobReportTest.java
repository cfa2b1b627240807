package io.carbonstream.carbon.report;

import io.carbonstream.carbon.accounting.Carbon;
import io.carbonstream.carbon.accounting.FootprintAccumulator;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.JobEvent;
import io.carbonstream.events.Phase;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobReportTest {

    static FootprintEvent footprint() {
        JobEvent job = new JobEvent(1, "j", "team", "bert", "bert-base", null, Phase.FINETUNE, "test-gpu", 8, 1,
                "gcp-europe-west4", null, null, "FINISHED", NOON, NOON.plusSeconds(3600));
        FootprintEvent f = null;
        for (int i = 0; i < 2; i++) {
            EnergyEvent e = energy("j", UUID.randomUUID(), Phase.FINETUNE, 1800L * i, i == 0 ? "3960.000" : "1000.000", "gcp-europe-west4");
            BigDecimal pue = new BigDecimal("1.07");
            BigDecimal facility = Carbon.facilityJoules(e.energyJoules().total(), pue);
            f = FootprintAccumulator.add(f, new FootprintAccumulator.ChargedBatch(e, facility,
                    Carbon.carbonIntegral(facility, new BigDecimal("569")),
                    Carbon.embodiedIntegral(8, Duration.ofMillis(1500), new BigDecimal("150000")),
                    new FootprintEvent.AppliedIntensity("gcp-europe-west4", "NL", pue, new BigDecimal("569"),
                            GridIntensityEvent.Source.STATIC_TABLE, null)), job, 126_144_000L, NOON);
        }
        return f;
    }

    @Test
    void theImpactSummaryRelatesEnergyAndCarbonToTheWorkDone() {
        ImpactSummary s = ImpactSummary.of(footprint());
        // facility 5307.2 J / 8192 tokens; / 64 samples
        assertEquals(new BigDecimal("0.647851562"), s.facilityJoulesPerToken(), "0.6478515625: a tie, rounded half-even");
        assertEquals(new BigDecimal("82.925000000"), s.facilityJoulesPerSample());
        assertEquals(0, new BigDecimal("569").compareTo(s.gCo2ePerKWh()));
        // embodied 0.028538813 / (operational 0.838832444 + embodied 0.028538813)
        assertEquals(new BigDecimal("0.032903"), s.embodiedShare());
        // 0.867371257 g x 1e6 / 8192 tokens
        assertEquals(new BigDecimal("105.880280396"), s.totalGCo2ePerMillionTokens());
    }

    @Test
    void theCarEquivalentFollowsTheEpaFiguresExactly() {
        // 8887 g/gal / (22.0 mi/gal x 1.609344 km/mi)
        assertEquals(0, new BigDecimal("251.0057175187812").compareTo(JobReport.gramsPerCarKilometre()));
    }

    @Test
    void theReportStatesHardwareEnergyIntensityAndCarbonWithTheirUnits() {
        FootprintEvent f = footprint();
        JobReport r = JobReport.of(f, new JobEvent(1, "j", "team", "bert", "bert-base", null, Phase.FINETUNE,
                "test-gpu", 8, 1, "gcp-europe-west4", null, null, "FINISHED", NOON, null));
        // operational 0.838832444 g + embodied 2 x 8 x 1.5 s x 150 kg / 4 y = 0.028538813 g -> 0.867371257 g
        assertEquals(new BigDecimal("0.000838832444"), r.operationalKgCo2e());
        assertEquals(new BigDecimal("0.000867371257"), r.totalKgCo2e());
        assertEquals(new BigDecimal("0.003"), r.carKilometres());
        assertEquals(new BigDecimal("0.500"), r.wallClockHours());
        String csv = r.csv();
        assertTrue(csv.startsWith("quantity,value,unit\n"), csv);
        assertTrue(csv.contains("\nPUE,1.07,\n"), csv);
        assertTrue(csv.contains("\noperational emissions,0.000838832444,kgCO2e\n"), csv);
        String md = r.markdown();
        assertTrue(md.startsWith("## Carbon footprint of bert\n"), md);
        assertTrue(md.contains("1 worker(s) of 8 x test-gpu"), md);
        assertTrue(md.contains("| PUE | 1.07 |"), md);
        assertTrue(md.contains("EPA-420-F-23-014"), md);
    }
}
