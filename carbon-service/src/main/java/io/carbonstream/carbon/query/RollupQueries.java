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

    /** Every published roll-up {@code shown}, by key (a job's part of a month is the monthly report's alone). */
    public Uni<List<RollupEvent>> all(Predicate<RollupEvent> shown, HttpHeaders headers) {
        return any(r -> RollupEvent.published(r.kind()) && shown.test(r), "/rollups", headers);
    }

    /**
     * A tenant's month: its TENANT_MONTH roll-up (empty when nothing ran that month) and every job's part of it
     * (TENANT_MONTH_JOB), by key.
     */
    public Uni<List<RollupEvent>> month(String tenant, String month, HttpHeaders headers) {
        String total = RollupEvent.key(RollupEvent.Kind.TENANT_MONTH, tenant, month);
        String jobs = RollupEvent.key(RollupEvent.Kind.TENANT_MONTH_JOB, tenant, month + " ");
        String path = "/reports/tenants/" + java.net.URLEncoder.encode(tenant, java.nio.charset.StandardCharsets.UTF_8)
                + "/months/" + month + "/rollups";
        return any(r -> r.key().equals(total) || r.key().startsWith(jobs), path, headers);
    }

    /** The roll-ups {@code shown}, gathered from every instance, whose own part answers {@code path}. */
    private Uni<List<RollupEvent>> any(Predicate<RollupEvent> shown, String path, HttpHeaders headers) {
        // of two copies of one key (a partition moving), the last one gathered is kept
        return queries.gather(StoreNames.ROLLUP_STORE, RollupEvent.class, path, headers, "the roll-ups", shown,
                        RollupEvent::key, (here, there) -> there)
                .map(all -> all.stream().sorted(Comparator.comparing(RollupEvent::key)).toList());
    }

    /** The roll-up of {@code key}, when it is {@code shown}. */
    public Uni<Optional<RollupEvent>> one(String key, Predicate<RollupEvent> shown, HttpHeaders headers) {
        return all(shown, headers).map(all -> all.stream().filter(r -> r.key().equals(key)).findFirst());
    }
}
