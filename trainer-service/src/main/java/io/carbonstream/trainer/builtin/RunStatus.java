package io.carbonstream.trainer.builtin;

/**
 * Progress of a built-in training run.
 *
 * @param state      RUNNING, FINISHED or FAILED
 * @param step       batches done
 * @param firstLoss  mean cross-entropy (nats) of the first batch
 * @param loss       mean cross-entropy of the latest batch
 * @param parameters trainable parameters of the model
 * @param error      why the run failed, when it did
 */
public record RunStatus(String jobId, String state, int step, int steps, int batchSize, long parameters,
                        Double firstLoss, Double loss, String error) {

    RunStatus progressed(int step, double loss) {
        return new RunStatus(jobId, state, step, steps, batchSize, parameters, firstLoss == null ? loss : firstLoss, loss, null);
    }

    RunStatus ended(String state, String error) {
        return new RunStatus(jobId, state, step, steps, batchSize, parameters, firstLoss, loss, error);
    }
}
