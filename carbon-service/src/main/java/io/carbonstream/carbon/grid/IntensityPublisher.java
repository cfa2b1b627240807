package io.carbonstream.carbon.grid;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.GridIntensityEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes grid intensity observations to {@code grid.intensity}, keyed by zone, acknowledged by the broker; only
 * observations valid by the contract, so that none is dead-lettered downstream.
 */
@ApplicationScoped
public class IntensityPublisher {

    @Channel("grid-intensity")
    MutinyEmitter<byte[]> emitter;

    /** @throws io.carbonstream.events.InvalidEventException when the observation breaks the contract: nothing is sent */
    public Uni<Void> publish(GridIntensityEvent observation) {
        EventValidation.require(EventValidation.intensity(observation));
        return emitter.sendMessage(Message.of(EventJson.encode(observation))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(observation.zone()).build()));
    }
}
