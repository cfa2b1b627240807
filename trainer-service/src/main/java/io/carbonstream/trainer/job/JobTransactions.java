package io.carbonstream.trainer.job;

import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.UUID;

/** The database half of {@link JobService}: each returned Uni completes once its transaction has committed. */
@ApplicationScoped
class JobTransactions {

    Clock clock = Clock.systemUTC();

    @WithTransaction
    Uni<Job> register(JobRequest request) {
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

    @WithTransaction
    Uni<Job> finish(String id, JobState end) {
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
