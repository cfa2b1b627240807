package io.carbonstream.trainer.replay;

/**
 * Progress of a replay.
 *
 * @param state         RUNNING, FINISHED or FAILED
 * @param windows       windows of the run
 * @param workers       workers each window is reported for
 * @param windowsDone   windows emitted so far
 */
public record ReplayStatus(String jobId, String state, long windows, int workers, long windowsDone, String error) {

    ReplayStatus emitted(long done) {
        return new ReplayStatus(jobId, state, windows, workers, done, null);
    }

    ReplayStatus ended(String state, String error) {
        return new ReplayStatus(jobId, state, windows, workers, windowsDone, error);
    }
}
