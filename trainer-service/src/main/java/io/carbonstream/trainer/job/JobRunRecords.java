package io.carbonstream.trainer.job;

import io.carbonstream.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The progress of built-in runs and replays in PostgreSQL (table {@code job_run}), shared by every instance of
 * trainer-service: the instance that runs a job records it, any instance reads it.
 */
@ApplicationScoped
public class JobRunRecords {

    @Inject
    Pool pool;

    /** Records a run's progress; called from a background thread, never from the event loop. */
    public void record(String kind, String jobId, Object progress) {
        pool.preparedQuery("INSERT INTO job_run (job_id, kind, progress, updated_at) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT (job_id) DO UPDATE SET progress = EXCLUDED.progress, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.of(jobId, kind, new String(EventJson.encode(progress), StandardCharsets.UTF_8),
                        OffsetDateTime.now(ZoneOffset.UTC)))
                .await().atMost(Duration.ofSeconds(10));
    }

    /** The last recorded progress of a job's run of this kind. */
    public <S> Uni<Optional<S>> find(String kind, String jobId, Class<S> type) {
        return pool.preparedQuery("SELECT progress FROM job_run WHERE job_id = $1 AND kind = $2")
                .execute(Tuple.of(jobId, kind))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext()
                            ? Optional.of(EventJson.decode(it.next().getString("progress").getBytes(StandardCharsets.UTF_8), type))
                            : Optional.<S>empty();
                });
    }
}
