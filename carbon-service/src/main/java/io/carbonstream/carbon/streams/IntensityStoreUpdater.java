package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.grid.IntensityTimeline;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.InvalidEventException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Files each {@code grid.intensity} observation in the global timeline store under {@code zone|validFrom}. Kafka
 * Streams replays the topic through this processor when it restores the store, so the keys are the same after
 * a restart. A record that is no valid observation is skipped here and dead-lettered by
 * {@link GridIntensityDeadLetters}, which applies the same rules.
 */
final class IntensityStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = Logger.getLogger(IntensityStoreUpdater.class);

    private KeyValueStore<String, byte[]> timeline;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        timeline = context.getStateStore(io.carbonstream.carbon.query.StoreNames.INTENSITY_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try {
            GridIntensityEvent g = GridIntensityDeadLetters.decode(record.key(), record.value());
            timeline.put(IntensityTimeline.key(g.zone(), g.validFrom()), record.value());
            IntensityTimeline.VERSION.incrementAndGet();
        } catch (InvalidEventException e) {
            // a global store cannot forward: GridIntensityDeadLetters writes this record's dead letter
            LOG.debugf("skipping grid intensity record with key %s: %s", record.key(), e.reason());
        }
    }
}
