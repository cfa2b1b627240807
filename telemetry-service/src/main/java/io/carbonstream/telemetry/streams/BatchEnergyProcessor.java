package io.carbonstream.telemetry.streams;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.telemetry.catalog.CatalogSnapshot;
import io.carbonstream.telemetry.power.EnergyCalculator;
import io.carbonstream.telemetry.power.UnknownHardwareException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.time.Clock;
import java.time.Duration;

/**
 * One batch in, one energy event out (to {@link TopologyProducer#ENERGY_SINK}), or one dead letter with the
 * reason (to {@link TopologyProducer#DEAD_LETTER_SINK}) when the batch is malformed, breaks the contract or
 * names unknown hardware. Nothing is dropped and nothing is charged zero.
 */
final class BatchEnergyProcessor implements Processor<String, byte[], String, byte[]> {

    static final String SERVICE = "telemetry-service";

    private final CatalogSnapshot catalog;
    private final Clock clock;
    private final Counter energyEvents;
    private final MeterRegistry registry;
    private ProcessorContext<String, byte[]> context;

    BatchEnergyProcessor(CatalogSnapshot catalog, Clock clock, MeterRegistry registry) {
        this.catalog = catalog;
        this.clock = clock;
        this.registry = registry;
        this.energyEvents = registry.counter("carbonstream.telemetry.energy.events");
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try {
            BatchEvent batch = EventJson.decode(record.value(), BatchEvent.class);
            BatchValidation.require(batch);
            EnergyEvent energy = EnergyCalculator.energyOf(batch, catalog.await(Duration.ofSeconds(60)), clock.instant());
            context.forward(record.withKey(batch.jobId()).withValue(EventJson.encode(energy)), TopologyProducer.ENERGY_SINK);
            energyEvents.increment();
        } catch (InvalidEventException e) {
            deadLetter(record, e.field(), e.reason(), "invalid");
        } catch (UnknownHardwareException e) {
            deadLetter(record, e.field(), e.getMessage(), "unknown-hardware");
        }
    }

    private void deadLetter(Record<String, byte[]> record, String field, String reason, String kind) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        DeadLetter letter = DeadLetter.of(SERVICE, meta == null ? null : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.key(), field, reason, record.value(), clock.instant());
        context.forward(record.withValue(EventJson.encode(letter)), TopologyProducer.DEAD_LETTER_SINK);
        registry.counter("carbonstream.telemetry.dead.letters", "reason", kind).increment();
    }
}
