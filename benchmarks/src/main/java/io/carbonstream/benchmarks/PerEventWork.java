package io.carbonstream.benchmarks;

import io.carbonstream.carbon.accounting.FootprintAccumulator;
import io.carbonstream.carbon.accounting.FootprintAccumulator.ChargedBatch;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.FootprintEvent.AppliedIntensity;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.Phase;
import io.carbonstream.telemetry.power.EnergyCalculator;
import io.carbonstream.telemetry.power.HardwareKind;
import io.carbonstream.telemetry.power.HardwareProfile;
import io.carbonstream.telemetry.power.PowerCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The work carbonstream does per batch event, without Kafka, in ns/event: telemetry-service's power model and
 * energy, carbon-service's charge (PUE, intensity, embodied) and accumulation into the job's footprint, all of it
 * together ({@link #perEventWork}), and the JSON serdes at each hop. The batch is the one {@code bench} sends
 * (8 accelerators at 0.8 utilization for one second); the figures are round test figures, not a published
 * profile: these benchmarks time the arithmetic, they do not estimate anything.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class PerEventWork {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Idle 50 W, 400 W at full load: round figures for timing. */
    static final HardwareProfile GPU = new HardwareProfile("bench-gpu", 1, HardwareKind.ACCELERATOR, "bench GPU",
            new BigDecimal("50"), new BigDecimal("400"), "round figures for timing");

    PowerCatalog catalog;
    BatchEvent batch;
    EnergyEvent energy;
    AppliedIntensity applied;
    BigDecimal embodiedGrams;
    ChargedBatch charged;
    FootprintEvent previous;
    byte[] batchJson;
    byte[] energyJson;
    byte[] footprintJson;
    io.carbonstream.carbon.accounting.Rollups.Delta delta;

    @Setup
    public void setup() {
        catalog = new PowerCatalog(List.of(GPU));
        batch = BatchEvent.builder().schemaVersion(BatchEvent.SCHEMA_VERSION).eventId(UUID.randomUUID()).jobId("bench-job")
                .tenant("bench").workerId("0").step(41L).phase(Phase.PRETRAIN)
                .startedAt(T0.plusSeconds(41)).endedAt(T0.plusSeconds(42)).samples(32L).tokens(32L * 2048)
                .flops(new BigDecimal("1.2e15")).acceleratorType("bench-gpu").acceleratorCount(8).utilization(0.8)
                .datacenter("on-prem-de").build();
        energy = EnergyCalculator.energyOf(batch, catalog, T0);
        // on-prem-de's PUE and DE's annual average from the bundled tables, as carbon-service applies them
        StaticTables tables = StaticTables.bundled();
        applied = new AppliedIntensity("on-prem-de", "DE", new BigDecimal("1.58"),
                tables.annualIntensity("DE").orElseThrow(), GridIntensityEvent.Source.STATIC_TABLE, null);
        embodiedGrams = tables.embodiedGrams("nvidia-a100-sxm4-40gb");
        charged = ChargedBatch.of(energy, applied, embodiedGrams);
        FootprintEvent f = null;
        for (int i = 0; i < 41; i++) {
            f = FootprintAccumulator.add(f, charged, null, StaticTables.LIFETIME_SECONDS, T0);
        }
        previous = f;
        batchJson = EventJson.encode(batch);
        energyJson = EventJson.encode(energy);
        footprintJson = EventJson.encode(previous);
        delta = io.carbonstream.carbon.accounting.Rollups.Delta.between(null, previous);
    }

    /** telemetry-service: the power model at the batch's utilization, times devices and duration. */
    @Benchmark
    public EnergyEvent powerModelAndEnergy() {
        return EnergyCalculator.energyOf(batch, catalog, T0);
    }

    /** carbon-service: facility energy (PUE), carbon integral (intensity) and embodied integral. */
    @Benchmark
    public ChargedBatch charge() {
        return ChargedBatch.of(energy, applied, embodiedGrams);
    }

    /** carbon-service: the charged batch added to a footprint of 41 batches. */
    @Benchmark
    public FootprintEvent accumulate() {
        return FootprintAccumulator.add(previous, charged, null, StaticTables.LIFETIME_SECONDS, T0);
    }

    /** The per-event work: power model + energy + charge + accumulation, excluding Kafka and serdes. */
    @Benchmark
    public FootprintEvent perEventWork() {
        EnergyEvent e = EnergyCalculator.energyOf(batch, catalog, T0);
        return FootprintAccumulator.add(previous, ChargedBatch.of(e, applied, embodiedGrams), null,
                StaticTables.LIFETIME_SECONDS, T0);
    }

    @Benchmark
    public BatchEvent decodeBatch() {
        return EventJson.decode(batchJson, BatchEvent.class);
    }

    /** trainer-service: one batch event written as its record (two instants among its fields). */
    @Benchmark
    public byte[] encodeBatch() {
        return EventJson.encode(batch);
    }

    @Benchmark
    public byte[] encodeEnergy() {
        return EventJson.encode(energy);
    }

    @Benchmark
    public EnergyEvent decodeEnergy() {
        return EventJson.decode(energyJson, EnergyEvent.class);
    }

    @Benchmark
    public byte[] encodeFootprint() {
        return EventJson.encode(previous);
    }

    /** carbon-service wrote each of a batch's four pending roll-up deltas as JSON until 2026-12-07... */
    @Benchmark
    public byte[] encodeDeltaJson() {
        return EventJson.encode(delta);
    }

    /** ...and writes them in the pending store's binary form since. */
    @Benchmark
    public byte[] encodeDeltaBinary() {
        return io.carbonstream.carbon.query.StoreValues.delta(delta);
    }

    /** carbon-service's archive: a running job's footprint record checked from its head alone... */
    @Benchmark
    public FootprintEvent.Head archiveReadHead() {
        return io.carbonstream.events.EventValidation.read("bench-job", footprintJson, FootprintEvent.Head.class,
                io.carbonstream.events.EventValidation::footprint, FootprintEvent.Head::jobId, "jobId");
    }

    /** ...as against reading it whole, as the archive did every record until 2026-12-07. */
    @Benchmark
    public FootprintEvent archiveReadWhole() {
        return io.carbonstream.events.EventValidation.read("bench-job", footprintJson, FootprintEvent.class,
                io.carbonstream.events.EventValidation::footprint, FootprintEvent::jobId, "jobId");
    }

    @Benchmark
    public FootprintEvent decodeFootprint() {
        return EventJson.decode(footprintJson, FootprintEvent.class);
    }
}
