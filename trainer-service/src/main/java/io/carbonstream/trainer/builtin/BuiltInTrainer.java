package io.carbonstream.trainer.builtin;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Phase;
import io.carbonstream.support.ProblemException;
import io.carbonstream.trainer.batch.BatchAssembler;
import io.carbonstream.trainer.batch.BatchPublisher;
import io.carbonstream.trainer.batch.BatchReport;
import io.carbonstream.trainer.job.Job;
import io.carbonstream.trainer.job.JobRequest;
import io.carbonstream.trainer.job.JobRuns;
import io.carbonstream.trainer.job.JobService;
import io.carbonstream.trainer.job.JobState;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Runs the built-in trainer: registers a job, trains {@link CharMlp} on the generated {@link Corpus} one batch at a
 * time on one CPU thread, and reports every batch with its measured wall time, the CPU time the thread used, its
 * samples, tokens and exact FLOPs to {@code training.batches}, exactly like an external trainer would.
 */
@ApplicationScoped
public class BuiltInTrainer {

    private static final Logger LOG = Logger.getLogger(BuiltInTrainer.class);
    /** Model shape: 8 characters of context, 24-dimensional embeddings, 256 hidden units. */
    static final int CONTEXT = 8;
    static final int EMBED = 24;
    static final int HIDDEN = 256;

    @Inject
    JobService jobs;

    @Inject
    BatchPublisher publisher;

    @Inject
    io.carbonstream.trainer.job.JobRunRecords records;

    private JobRuns<RunStatus> runs;

    @jakarta.annotation.PostConstruct
    void init() {
        runs = new JobRuns<>("builtin-trainer", (jobId, progress) -> records.record("TRAINER", jobId, progress));
    }
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public Uni<RunStatus> start(RunRequest request) {
        var violations = request.validate();
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(violations));
        }
        RunRequest r = request.withDefaults();
        Corpus corpus = new Corpus(4000, 7);
        CharMlp model = new CharMlp(corpus.vocabulary(), CONTEXT, EMBED, HIDDEN, 42);
        JobRequest job = new JobRequest(null, r.tenant(), r.name(), "char-mlp (built-in)", model.parameters(),
                Phase.PRETRAIN, null, 0, 1, r.cpuType(), 1, null, null, null, null, r.datacenter(), (long) r.steps(),
                (long) r.steps() * r.batchSize(), null);
        return jobs.register(job).map(saved -> {
            RunStatus status = new RunStatus(saved.id, "RUNNING", 0, r.steps(), r.batchSize(), model.parameters(), null, null, null);
            return runs.submit(saved.id, status, () -> run(saved, model, corpus, r));
        });
    }

    /** The run's progress: this instance's own, or the one the instance that runs it recorded. */
    public Uni<Optional<RunStatus>> status(String jobId) {
        Optional<RunStatus> here = runs.progress(jobId);
        return here.isPresent() ? Uni.createFrom().item(here) : records.find("TRAINER", jobId, RunStatus.class);
    }

    private void run(Job job, CharMlp model, Corpus corpus, RunRequest r) {
        Random random = new Random(job.id.hashCode());
        int[][] inputs = new int[r.batchSize()][CONTEXT];
        int[] targets = new int[r.batchSize()];
        try {
            for (int step = 0; step < r.steps(); step++) {
                for (int n = 0; n < r.batchSize(); n++) {
                    int p = CONTEXT + random.nextInt(corpus.length() - CONTEXT);
                    for (int c = 0; c < CONTEXT; c++) {
                        inputs[n][c] = corpus.tokenAt(p - CONTEXT + c);
                    }
                    targets[n] = corpus.tokenAt(p);
                }
                long cpuBefore = threads.getCurrentThreadCpuTime();
                Instant startedAt = Instant.now();
                double loss = model.trainStep(inputs, targets, r.learningRate().floatValue());
                Instant endedAt = Instant.now();
                if (!endedAt.isAfter(startedAt)) {
                    endedAt = startedAt.plusNanos(1);
                }
                double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
                long tokens = r.batchSize();
                BatchEvent event = BatchAssembler.toEvent(job, new BatchReport(null, "0", (long) step, null, startedAt,
                        endedAt, (long) r.batchSize(), tokens, BigDecimal.valueOf(model.trainingFlops(tokens)), 0, null,
                        null, null, cpuSeconds));
                BatchValidation.require(event);
                publisher.publish(List.of(event)).await().atMost(Duration.ofSeconds(60));
                runs.update(job.id, s -> s.progressed(s.step() + 1, loss));
            }
            end(job.id, JobState.FINISHED, null);
        } catch (RuntimeException e) {
            LOG.errorf(e, "built-in training run %s failed", job.id);
            end(job.id, JobState.FAILED, e.getMessage());
        }
    }

    private void end(String jobId, JobState state, String error) {
        jobs.finishFromWorker(jobId, state);
        runs.update(jobId, s -> s.ended(state.name(), error));
    }

    void onStop(@Observes ShutdownEvent event) {
        runs.stop();
    }
}
