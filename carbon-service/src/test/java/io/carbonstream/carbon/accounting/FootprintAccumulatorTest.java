package io.carbonstream.carbon.accounting;

import io.carbonstream.carbon.accounting.FootprintAccumulator.ChargedBatch;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.Phase;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FootprintAccumulatorTest {

    static final BigDecimal PUE = new BigDecimal("1.07");

    static ChargedBatch charge(EnergyEvent e, String intensity) {
        BigDecimal facility = Carbon.facilityJoules(e.energyJoules().total(), PUE);
        BigDecimal integral = Carbon.carbonIntegral(facility, new BigDecimal(intensity));
        BigDecimal embodied = Carbon.embodiedIntegral(e.acceleratorCount(), java.time.Duration.between(e.startedAt(),
                e.endedAt()), new BigDecimal("150000"));
        return new ChargedBatch(e, facility, integral, embodied, new FootprintEvent.AppliedIntensity("dc", "NL", PUE,
                new BigDecimal(intensity), GridIntensityEvent.Source.STATIC_TABLE, null));
    }

    @Test
    void facilityEnergyAndOperationalCarbonOfOneBatch() {
        // 3960 J x 1.07 = 4237.2 J exactly; x 569 g/kWh = 2410966.8 J g/kWh; / 3.6e6 J/kWh = 0.669713 g
        assertEquals(new BigDecimal("4237.20000000"), Carbon.facilityJoules(new BigDecimal("3960.000000"), PUE));
        assertEquals(new BigDecimal("2410966.80000000"), Carbon.carbonIntegral(new BigDecimal("4237.20000000"), new BigDecimal("569")));
        assertEquals(new BigDecimal("0.669713000"), Carbon.grams(new BigDecimal("2410966.80000000")));
        // 1 J at 1 g/kWh: 1/3.6e6 g = 0.000000277(7...) g, rounded once, when shown
        assertEquals(new BigDecimal("0.000000278"), Carbon.grams(BigDecimal.ONE));
        assertEquals(new BigDecimal("0.001177000000"), Carbon.kWh(new BigDecimal("4237.20000000")));
    }

    @Test
    void footprintSumsBatchesByPhaseAndDerivesRatios() {
        FootprintEvent f = FootprintAccumulator.add(null, charge(energy("j", UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "dc"), "569"), NOON);
        f = FootprintAccumulator.add(f, charge(energy("j", UUID.randomUUID(), Phase.EVAL, 10, "1000.000", "dc"), "400"), NOON);

        assertEquals(2, f.batches());
        assertEquals(8192, f.tokens());
        assertEquals(new BigDecimal("4960.000000"), f.itEnergyJoules().total());
        assertEquals(new BigDecimal("5307.20000000"), f.facilityEnergyJoules()); // 4237.2 + 1070.0
        // (2410966.8 + 1070 x 400) / 3.6e6 = 2838966.8 / 3.6e6 = 0.78860188(8..) g
        assertEquals(new BigDecimal("2838966.80000000"), f.carbonIntegral());
        assertEquals(new BigDecimal("0.788601889"), f.operationalGCo2e());
        // embodied: 2 batches x 8 accelerators x 1.5 s x 150 kg / (35,040 h x 3600 s) = 3.6e6 g s / 126,144,000 s
        assertEquals(0, new BigDecimal("3600000").compareTo(f.embodiedIntegral()));
        assertEquals(new BigDecimal("0.028538813"), f.embodiedGCo2e());
        assertEquals(new BigDecimal("0.817140702"), f.sci().perRun());
        assertEquals(new BigDecimal("0.408570351"), f.sci().perBatch());
        assertEquals(new BigDecimal("99.748620850"), f.sci().perMillionTokens());
        assertEquals(new BigDecimal("0.001474222222"), f.facilityEnergyKWh());
        // 0.788602 g x 3.6e6 / 5307.2 J
        assertEquals(new BigDecimal("534.927"), f.averageGCo2ePerKWh());
        // 0.788602 g x 1e6 / 8192 tokens
        assertEquals(new BigDecimal("96.264879028"), f.gCo2ePerMillionTokens());
        // 4960 J x 1e15 / 2e12 FLOP
        assertEquals(new BigDecimal("2480000.000000"), f.joulesPerPetaFlop());
        assertEquals(1, f.byPhase().get(Phase.EVAL).batches());
        assertEquals(new BigDecimal("0.669713000"), f.byPhase().get(Phase.PRETRAIN).operationalGCo2e());
        assertEquals(NOON, f.firstBatchStartedAt());
        assertEquals(NOON.plusSeconds(10).plusMillis(1500), f.lastBatchEndedAt());
    }

    @Test
    void totalsDoNotDependOnTheOrderBatchesArriveIn() {
        Random random = new Random(42);
        List<ChargedBatch> batches = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String joules = BigDecimal.valueOf(random.nextInt(10_000_000), 3).toPlainString();
            batches.add(charge(energy("j", UUID.randomUUID(), Phase.values()[i % 5], i, joules, "dc"),
                    String.valueOf(50 + random.nextInt(700))));
        }
        FootprintEvent inOrder = fold(batches);
        Collections.shuffle(batches, random);
        FootprintEvent shuffled = fold(batches);
        assertEquals(inOrder.operationalGCo2e(), shuffled.operationalGCo2e());
        assertEquals(inOrder.facilityEnergyJoules(), shuffled.facilityEnergyJoules());
        assertEquals(inOrder.itEnergyJoules(), shuffled.itEnergyJoules());
        assertEquals(inOrder.byPhase(), shuffled.byPhase());
        assertEquals(batches.stream().map(ChargedBatch::carbonIntegral).reduce(BigDecimal.ZERO, BigDecimal::add),
                inOrder.carbonIntegral());
        assertEquals(Carbon.grams(inOrder.carbonIntegral()), inOrder.operationalGCo2e());
    }

    @Test
    void ratiosAreAbsentUntilThereIsSomethingToDivideBy() {
        EnergyEvent e = energy("j", UUID.randomUUID(), Phase.PRETRAIN, 0, "0.000", "dc");
        EnergyEvent noTokens = new EnergyEvent(1, e.eventId(), "j", "t", "0", 0L, Phase.PRETRAIN, e.startedAt(), e.endedAt(),
                1L, 0L, null, null, 0, "dc", e.energyJoules(), 0.0, e.method(), null, null, e.computedAt());
        FootprintEvent f = FootprintAccumulator.add(null, charge(noTokens, "569"), NOON);
        assertNull(f.gCo2ePerMillionTokens());
        assertNull(f.joulesPerPetaFlop());
        assertNull(f.averageGCo2ePerKWh());
    }

    static FootprintEvent fold(List<ChargedBatch> batches) {
        FootprintEvent f = null;
        for (ChargedBatch b : batches) {
            f = FootprintAccumulator.add(f, b, NOON);
        }
        return f;
    }
}
