package io.carbonstream.carbon.query;

import io.carbonstream.events.RollupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Roll-ups (per tenant, model, tenant and model, tenant and month), decoded. They are spread over the instances by
 * roll-up key, not by job: every answer gathers every instance's part ({@link Queries#gather}).
 */
@ApplicationScoped
public class RollupQueries {

    @Inject
    Queries queries;

    /** Every roll-up {@code shown}, by key. */
    public Uni<List<RollupEvent>> all(Predicate<RollupEvent> shown, HttpHeaders headers) {
        // of two copies of one key (a partition moving), the last one gathered is kept
        return queries.gather(StoreNames.ROLLUP_STORE, RollupEvent.class, "/rollups", headers, "the roll-ups", shown,
                        RollupEvent::key, (here, there) -> there)
                .map(all -> all.stream().sorted(Comparator.comparing(RollupEvent::key)).toList());
    }

    /** The roll-up of {@code key}, when it is {@code shown}. */
    public Uni<Optional<RollupEvent>> one(String key, Predicate<RollupEvent> shown, HttpHeaders headers) {
        return all(shown, headers).map(all -> all.stream().filter(r -> r.key().equals(key)).findFirst());
    }
}
