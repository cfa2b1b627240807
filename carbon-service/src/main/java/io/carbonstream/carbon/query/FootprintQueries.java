package io.carbonstream.carbon.query;

import io.carbonstream.carbon.archive.FootprintArchive;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.JobEvent;
import io.carbonstream.support.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Jobs' running footprints and descriptions, decoded, wherever they are: a job's own in the partition of its id
 * (on its owner: {@link OwnerRouting} sends each GET about one job there, and {@link #current} asks it for a
 * stream's first event), the list gathered from every instance ({@link Queries#gather}), a finished job's from
 * the archive once the stores no longer hold it. Another tenant's job is answered exactly as one that does not exist.
 */
@ApplicationScoped
public class FootprintQueries {

    /** Up to how many footprints a list holds, and how many it holds when the caller does not say. */
    public static final int MAX_LIST = 5000;
    public static final int DEFAULT_LIST = 100;

    @Inject
    Queries queries;

    @Inject
    FootprintArchive archive;

    /** The job's running footprint in this instance's stores; empty when it has none (503 while it restores). */
    public Optional<FootprintEvent> here(String jobId) {
        return queries.forJob(StoreNames.FOOTPRINT_STORE, jobId, jobId, FootprintEvent.class);
    }

    /** The job's latest description in this instance's stores, or null when it has none or cannot read it now. */
    public JobEvent job(String jobId) {
        try {
            return queries.forJob(StoreNames.JOB_STORE, jobId, jobId, JobEvent.class).orElse(null);
        } catch (ProblemException moving) {
            return null;
        }
    }

    /** The tenant of a job this instance holds: its footprint's, else its description's; null when it holds neither. */
    public String tenantOf(String jobId) {
        return here(jobId).map(FootprintEvent::tenant).orElseGet(() -> {
            JobEvent job = job(jobId);
            return job == null ? null : job.tenant();
        });
    }

    /**
     * The job's footprint for a caller who sees the tenants {@code seen}: from the stores, else (a job the stores no
     * longer hold) its archived final one; 404 for a job without one and for another tenant's.
     */
    public Uni<FootprintEvent> footprint(String jobId, Predicate<String> seen) {
        Optional<FootprintEvent> running = here(jobId);
        if (running.isPresent()) {
            if (seen.test(running.get().tenant())) {
                return Uni.createFrom().item(running.get());
            }
            throw notCounted(jobId);
        }
        return archive.find(jobId).map(archived -> archived.filter(f -> seen.test(f.tenant()))
                .orElseThrow(() -> notCounted(jobId)));
    }

    /**
     * The job's running footprint for the first event of a stream, which is not routed: from this instance's store,
     * or from the instance that owns the job, asked with {@code authorization} (it answers 404 alike for a job not
     * counted yet and for another tenant's: null then, and the stream's tenant filter keeps every other tenant's
     * update out).
     */
    public FootprintEvent current(String jobId, String authorization) {
        if (!(queries.route(jobId, false) instanceof Queries.There owner)) {
            return here(jobId).orElse(null);
        }
        var answer = queries.askOwner(owner, jobId, "/footprints/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8)
                        .replace("+", "%20"), Map.of(HttpHeaders.AUTHORIZATION, String.valueOf(authorization)))
                .ifNoItem().after(Duration.ofSeconds(30)).failWith(() -> Queries.moving("the owner of job " + jobId + " does not answer"))
                .await().indefinitely();
        if (answer.statusCode() == 404) {
            return null;
        }
        if (answer.statusCode() != 200) {
            throw Queries.moving("the owner of job " + jobId + " answered " + answer.statusCode());
        }
        return EventJson.decode(answer.body(), FootprintEvent.class);
    }

    /** Which footprints a list holds: the caller's tenants ({@code seen}), and each given filter. */
    public record Filter(Predicate<String> seen, String tenant, String state, String model) {
        boolean shows(FootprintEvent f) {
            return seen.test(f.tenant()) && (tenant == null || tenant.equals(f.tenant()))
                    && (state == null || state.equals(f.jobState())) && (model == null || model.equals(f.model()));
        }

        String query(int limit) {
            return "/footprints?limit=" + limit + param("tenant", tenant) + param("state", state) + param("model", model);
        }

        private static String param(String name, String value) {
            return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /**
     * The running footprints {@code filter} shows, gathered from every instance (each holds the jobs of its
     * partitions), newest update first, at most {@code limit}; of two copies of one job (a partition moving), the
     * one with more batches.
     */
    public Uni<List<FootprintEvent>> list(Filter filter, int limit, HttpHeaders headers) {
        return queries.gather(StoreNames.FOOTPRINT_STORE, FootprintEvent.class, filter.query(limit), headers,
                        "the footprints", filter::shows, FootprintEvent::jobId, (a, b) -> a.batches() >= b.batches() ? a : b)
                .map(all -> all.stream()
                        .sorted(Comparator.comparing(FootprintEvent::updatedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                                .thenComparing(FootprintEvent::jobId))
                        .limit(limit).toList());
    }

    /** The answer for a job without a counted batch, and for another tenant's job. */
    public static ProblemException notCounted(String jobId) {
        return ProblemException.notFound("no footprint for job " + jobId + " (no batch of it has been counted)");
    }
}
