package io.carbonstream.carbon.rest;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.events.FootprintEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Committed footprint updates as they are published on {@code carbon.footprint} (read_committed, a consumer group
 * of this instance's own, from the latest offset), broadcast to every live subscriber.
 */
@ApplicationScoped
public class FootprintUpdates {

    /**
     * Whole records, not payloads: a record without a value (a tombstone) is a record here, where as a payload it
     * would be a null item that ends the broadcast stream for every subscriber.
     */
    @Inject
    @Channel("footprint-updates")
    Multi<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> updates;

    /**
     * The updates of one job; a record that is no footprint is skipped (the archive dead-letters it). Only the
     * records keyed by the job are read: each subscriber sees every job's updates go by.
     */
    public Multi<FootprintEvent> of(String jobId) {
        return updates.filter(r -> jobId.equals(r.key()))
                .map(r -> java.util.Optional.ofNullable(decodeOrNull(r.value())))
                .filter(f -> f.isPresent() && jobId.equals(f.get().jobId()))
                .map(java.util.Optional::get);
    }

    private static FootprintEvent decodeOrNull(byte[] bytes) {
        try {
            return EventJson.decode(bytes, FootprintEvent.class);
        } catch (InvalidEventException | java.io.UncheckedIOException e) {
            return null;
        }
    }
}
