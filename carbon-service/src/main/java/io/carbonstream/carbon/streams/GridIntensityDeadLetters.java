package io.carbonstream.carbon.streams;

import io.carbonstream.events.EventValidation;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.InvalidEventException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code grid.intensity} in a consumer group of its own and dead-letters every record that is no valid
 * observation to {@code grid.intensity.dlq}. The global intensity store cannot forward records, so it skips those
 * same records ({@link #decode}) and this consumer reports them.
 */
@ApplicationScoped
public class GridIntensityDeadLetters {

    @Inject
    DeadLetterPublisher deadLetters;

    /** The observation of a record, or the reason it is none: valid by the contract, keyed by its zone. */
    public static GridIntensityEvent decode(String key, byte[] value) {
        return EventValidation.read(key, value, GridIntensityEvent.class, EventValidation::intensity,
                GridIntensityEvent::zone, "zone");
    }

    @Incoming("grid-intensity-check")
    public Uni<Void> check(ConsumerRecord<String, byte[]> record) {
        try {
            decode(record.key(), record.value());
            return Uni.createFrom().voidItem();
        } catch (InvalidEventException e) {
            return deadLetters.publish(record, e);
        }
    }
}
