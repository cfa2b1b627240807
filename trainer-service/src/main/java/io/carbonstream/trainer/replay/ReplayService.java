package io.carbonstream.trainer.replay;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.BatchValidation;
import io.carbonstream.support.ProblemException;
import io.carbonstream.trainer.batch.BatchAssembler;
import io.carbonstream.trainer.batch.BatchPublisher;
import io.carbonstream.trainer.job.Job;
import io.carbonstream.trainer.job.JobRuns;
import io.carbonstream.trainer.job.JobService;
import io.carbonstream.trainer.job.JobState;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Replays a declared run: registers its job, then emits its windows to {@code training.batches} on an accelerated
 * clock, through the same assembly and validation as reported batches, and finishes the job.
 */
@ApplicationScoped
public class ReplayService {

    private static final Logger LOG = Logger.getLogger(ReplayService.class);

    @Inject
    JobService jobs;

    @Inject
    BatchPublisher publisher;

    Clock clock = Clock.systemUTC();

    @Inject
    io.carbonstream.trainer.job.JobRunRecords records;

    private JobRuns<ReplayStatus> replays;

    @jakarta.annotation.PostConstruct
    void init() {
        replays = new JobRuns<>("replay", (jobId, progress) -> records.record("REPLAY", jobId, progress));
    }

    public Uni<ReplayStatus> start(ReplayRequest request) {
        Instant now = clock.instant();
        var violations = request.validate(now);
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(violations));
        }
        return jobs.register(request.toJob(now)).map(job -> {
            ReplayStatus status = new ReplayStatus(job.id, "RUNNING", request.windows(), request.workers(), 0, null);
            return replays.submit(job.id, status, () -> replay(job, request, request.start(now)));
        });
    }

    /** The run's progress: this instance's own, or the one the instance that runs it recorded. */
    public Uni<Optional<ReplayStatus>> status(String jobId) {
        Optional<ReplayStatus> here = replays.progress(jobId);
        return here.isPresent() ? Uni.createFrom().item(here) : records.find("REPLAY", jobId, ReplayStatus.class);
    }

    private void replay(Job job, ReplayRequest r, Instant start) {
        long pauseNanos = r.windowsPerSecond() == null ? 1_000_000_000L / 50
                : r.windowsPerSecond() == 0 ? 0 : 1_000_000_000L / r.windowsPerSecond();
        try {
            for (long i = 0; i < r.windows(); i++) {
                long began = System.nanoTime();
                List<BatchEvent> events = ReplayPlan.window(r, start, i).stream()
                        .map(report -> BatchAssembler.toEvent(job, report)).toList();
                events.forEach(BatchValidation::require);
                publisher.publish(events).await().atMost(Duration.ofSeconds(60));
                long done = i + 1;
                replays.update(job.id, s -> s.emitted(done));
                long rest = pauseNanos - (System.nanoTime() - began);
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
            }
            end(job.id, JobState.FINISHED, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(job.id, JobState.FAILED, "interrupted");
        } catch (RuntimeException e) {
            LOG.errorf(e, "replay of job %s failed", job.id);
            end(job.id, JobState.FAILED, e.getMessage());
        }
    }

    private void end(String jobId, JobState state, String error) {
        jobs.finishFromWorker(jobId, state);
        replays.update(jobId, s -> s.ended(state.name(), error));
    }

    void onStop(@Observes ShutdownEvent event) {
        replays.stop();
    }
}
