package io.carbonstream.trainer.job;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * Jobs whose batches this service produces itself (built-in training, replays): one background thread that runs
 * them one after another, and the progress of each, by job id, since this service started. The progress is also
 * handed to a recorder (PostgreSQL, for the other instances) at most every {@link #RECORD_EVERY}: only the latest
 * progress of each job is recorded, on a thread of its own, so that the runs never wait on the database.
 *
 * @param <S> the progress record
 */
public final class JobRuns<S> {

    /** How far behind the recorded progress may be. */
    public static final java.time.Duration RECORD_EVERY = java.time.Duration.ofMillis(500);

    private final ExecutorService executor;
    private final Map<String, S> progress = new ConcurrentHashMap<>();
    private final Map<String, S> unrecorded = new ConcurrentHashMap<>();
    private final java.util.function.BiConsumer<String, S> recorder;
    private final java.util.concurrent.ScheduledExecutorService recording;

    public JobRuns(String threadName) {
        this(threadName, null);
    }

    public JobRuns(String threadName, java.util.function.BiConsumer<String, S> recorder) {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.recorder = recorder;
        recording = recorder == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName + "-recorder");
            t.setDaemon(true);
            return t;
        });
        if (recording != null) {
            recording.scheduleWithFixedDelay(this::record, RECORD_EVERY.toMillis(), RECORD_EVERY.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Records the run's initial progress and queues its work. */
    public S submit(String jobId, S initial, Runnable work) {
        progress.put(jobId, initial);
        unrecorded.put(jobId, initial);
        executor.submit(work);
        return initial;
    }

    public void update(String jobId, UnaryOperator<S> change) {
        S now = progress.computeIfPresent(jobId, (id, s) -> change.apply(s));
        if (now != null) {
            unrecorded.put(jobId, now);
        }
    }

    private void record() {
        for (String jobId : java.util.List.copyOf(unrecorded.keySet())) {
            S latest = unrecorded.remove(jobId);
            if (latest == null) {
                continue;
            }
            try {
                recorder.accept(jobId, latest);
            } catch (RuntimeException e) {
                // the database is away: keep the progress for the next round unless a newer one came meanwhile
                unrecorded.putIfAbsent(jobId, latest);
                org.jboss.logging.Logger.getLogger(JobRuns.class).debugf(e, "progress of %s not recorded yet", jobId);
            }
        }
    }

    public Optional<S> progress(String jobId) {
        return Optional.ofNullable(progress.get(jobId));
    }

    /** Stops the running work (at shutdown), after recording the latest progress once more. */
    public void stop() {
        executor.shutdownNow();
        if (recording != null) {
            recording.shutdownNow();
            record();
        }
    }
}
