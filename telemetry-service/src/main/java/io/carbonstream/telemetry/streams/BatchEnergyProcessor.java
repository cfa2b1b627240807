package io.carbonstream.telemetry.streams;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.streams.Retention;
import io.carbonstream.telemetry.catalog.CatalogSnapshot;
import io.carbonstream.telemetry.power.EnergyCalculator;
import io.carbonstream.telemetry.power.NoPowerModelException;
import io.carbonstream.telemetry.power.PowerCatalog;
import io.carbonstream.telemetry.power.UnknownHardwareException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Clock;
import java.time.Duration;

/**
 * One batch in, one energy event out (to {@link TopologyProducer#ENERGY_SINK}) with the change the batch makes to
 * its worker's idle energy ({@link WorkerIntervals}), or one
 * dead letter with the reason (to {@link TopologyProducer#DEAD_LETTER_SINK}) when the batch is malformed, breaks
 * the contract, names unknown hardware, or needs the power of a profile that has none (modelled power, or idle
 * time between batches). Nothing is dropped and nothing is charged zero.
 */
final class BatchEnergyProcessor implements Processor<String, byte[], String, byte[]> {

    static final String SERVICE = "telemetry-service";

    private final CatalogSnapshot catalog;
    private final Clock clock;
    private final Counter energyEvents;
    private final Counter lateBatches;
    private final Counter retentionDeleted;
    private final MeterRegistry registry;
    private final Duration maxIdleGap;
    private final Retention retention;
    private ProcessorContext<String, byte[]> context;
    private io.carbonstream.streams.IdlePunctuation sweep;
    private WorkerIntervals intervals;

    BatchEnergyProcessor(CatalogSnapshot catalog, Clock clock, MeterRegistry registry, Duration maxIdleGap,
                         Retention retention) {
        this.catalog = catalog;
        this.maxIdleGap = maxIdleGap;
        this.retention = retention;
        this.clock = clock;
        this.registry = registry;
        this.energyEvents = registry.counter("carbonstream.telemetry.energy.events");
        this.lateBatches = registry.counter("carbonstream.telemetry.beyond.retention");
        this.retentionDeleted = registry.counter("carbonstream.telemetry.retention.deleted");
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, Long> store = context.getStateStore(TopologyProducer.INTERVAL_STORE);
        this.intervals = new WorkerIntervals(store, maxIdleGap, retention, lateBatches);
        var sweeper = new io.carbonstream.streams.StoreSweeper<>(store, retention.sweepEntries(), intervals::expired);
        sweep = Retention.sweeping(context, now -> {
            intervals.sweepStarts();
            int gone = sweeper.sweep(now);
            retentionDeleted.increment(gone);
            return gone > 0;
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        sweep.demand();
        BatchEvent batch = null;
        try {
            batch = EventJson.decode(record.value(), BatchEvent.class);
            BatchValidation.require(batch);
            EventValidation.requireKey(record.key(), batch.jobId(), "jobId");
            PowerCatalog profiles = catalog.await(Duration.ofSeconds(60));
            WorkerIntervals.Change change = intervals.change(batch);
            EnergyEvent energy = EnergyCalculator.energyOf(batch, profiles, clock.instant(), change.idleNanos());
            // never publish what carbon-service would refuse (energy beyond the contract's bounds)
            EventValidation.require(EventValidation.energy(energy));
            byte[] out = EventJson.encode(energy);
            // filed only once everything above succeeded: a dead-lettered batch leaves no trace in the idle time
            intervals.file(change, context.currentSystemTimeMs());
            context.forward(record.withKey(batch.jobId()).withValue(out), TopologyProducer.ENERGY_SINK);
            energyEvents.increment();
        } catch (InvalidEventException e) {
            deadLetter(record, e.field(), e.reason(), "invalid");
        } catch (UnknownHardwareException e) {
            deadLetter(record, e.field(), e.getMessage(), "unknown-hardware");
        } catch (NoPowerModelException e) {
            deadLetter(record, fieldNaming(batch, e.profileId()), e.getMessage(), "no-power-model");
        } catch (ArithmeticException | IllegalArgumentException | java.io.UncheckedIOException e) {
            // arithmetic or encoding the contract's bounds should have prevented: still this record's fault alone
            deadLetter(record, null, "cannot be priced: " + EventJson.withoutJavaNames(String.valueOf(e.getMessage())),
                    "unprocessable");
        }
    }

    /** The batch field that names a profile: the dead letter points at it. */
    private static String fieldNaming(BatchEvent batch, String profileId) {
        if (profileId.equals(batch.acceleratorType())) {
            return "acceleratorType";
        }
        if (profileId.equals(batch.cpuType())) {
            return "cpuType";
        }
        if (profileId.equals(batch.hostType())) {
            return "hostType";
        }
        return "memoryType";
    }

    private void deadLetter(Record<String, byte[]> record, String field, String reason, String kind) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        DeadLetter letter = DeadLetter.of(SERVICE, meta == null ? null : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.key(), field, reason, record.value(), clock.instant());
        context.forward(record.withValue(EventJson.encode(letter)), TopologyProducer.DEAD_LETTER_SINK);
        registry.counter("carbonstream.telemetry.dead.letters", "reason", kind, "topic", TopologyProducer.SOURCE_TOPIC).increment();
    }
}
