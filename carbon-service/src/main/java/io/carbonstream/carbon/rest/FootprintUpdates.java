package io.carbonstream.carbon.rest;

import io.carbonstream.events.EventJson;
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

    @Inject
    @Channel("footprint-updates")
    Multi<byte[]> updates;

    public Multi<FootprintEvent> of(String jobId) {
        return updates.map(bytes -> EventJson.decode(bytes, FootprintEvent.class))
                .filter(f -> jobId.equals(f.jobId()));
    }
}
