package io.carbonstream.trainer.job;

import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.UUID;

/** Registering and ending jobs, for the REST API and the built-in trainer alike. */
@ApplicationScoped
public class JobService {

    Clock clock = Clock.systemUTC();

    /** Validates and stores a new RUNNING job. */
    @WithTransaction
    public Uni<Job> register(JobRequest request) {
        var now = clock.instant();
        var violations = request.validate(now);
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(violations));
        }
        Job job = request.toJob(UUID.randomUUID().toString(), now);
        return Job.<Job>findById(job.id).flatMap(existing -> existing != null
                ? Uni.createFrom().failure(new ProblemException(Problem.conflict("job " + job.id + " already exists")))
                : job.<Job>persist());
    }

    /**
     * {@link #finish} from a worker thread (outside any Vert.x context), waiting for it; failures are logged, as
     * the caller has nobody to report them to.
     */
    public void finishFromWorker(String id, JobState end) {
        try {
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> finish(id, end));
        } catch (Throwable t) {
            org.jboss.logging.Logger.getLogger(JobService.class).errorf(t, "could not mark job %s %s", id, end);
        }
    }

    /** Ends a RUNNING job as FINISHED or FAILED. */
    @WithTransaction
    public Uni<Job> finish(String id, JobState end) {
        if (end == JobState.RUNNING) {
            return Uni.createFrom().failure(ProblemException.invalidField("state", "must be FINISHED or FAILED"));
        }
        return Job.<Job>findById(id).map(job -> {
            if (job == null) {
                throw ProblemException.notFound("no job " + id + " is registered");
            }
            if (job.state != JobState.RUNNING) {
                throw new ProblemException(Problem.conflict("job " + id + " is already " + job.state));
            }
            job.state = end;
            job.finishedAt = clock.instant();
            return job;
        });
    }
}
