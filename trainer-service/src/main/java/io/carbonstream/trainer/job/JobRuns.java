package io.carbonstream.trainer.job;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * Jobs whose batches this service produces itself (built-in training, replays): one background thread that runs
 * them one after another, and the progress of each, by job id, since this service started.
 *
 * @param <S> the progress record
 */
public final class JobRuns<S> {

    private final ExecutorService executor;
    private final Map<String, S> progress = new ConcurrentHashMap<>();

    public JobRuns(String threadName) {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Records the run's initial progress and queues its work. */
    public S submit(String jobId, S initial, Runnable work) {
        progress.put(jobId, initial);
        executor.submit(work);
        return initial;
    }

    public void update(String jobId, UnaryOperator<S> change) {
        progress.computeIfPresent(jobId, (id, s) -> change.apply(s));
    }

    public Optional<S> progress(String jobId) {
        return Optional.ofNullable(progress.get(jobId));
    }

    /** Stops the running work (at shutdown). */
    public void stop() {
        executor.shutdownNow();
    }
}
