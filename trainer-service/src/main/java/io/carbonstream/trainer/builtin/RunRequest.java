package io.carbonstream.trainer.builtin;

import io.carbonstream.events.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /trainer/runs}: a run of the built-in character-level language model.
 *
 * @param tenant       default {@code demo}
 * @param name         default {@code char-mlp}
 * @param steps        training steps (batches), default 300, at most 100000
 * @param batchSize    samples per batch, default 128, at most 4096
 * @param learningRate SGD learning rate, default 0.1
 * @param datacenter   default {@code on-prem-de}
 * @param cpuType      hardware profile of this machine's CPU, default {@code cpu-unknown}
 */
public record RunRequest(String tenant, String name, Integer steps, Integer batchSize, Double learningRate,
                         String datacenter, String cpuType) {

    /** This request for the tenant the caller's token names (see {@code Caller#actingTenant}). */
    public RunRequest withTenant(String tenant) {
        return new RunRequest(tenant, name, steps, batchSize, learningRate, datacenter, cpuType);
    }


    public static final int MAX_STEPS = 100_000;
    public static final int MAX_BATCH = 4096;

    public RunRequest withDefaults() {
        return new RunRequest(tenant == null ? "demo" : tenant, name == null ? "char-mlp" : name,
                steps == null ? 300 : steps, batchSize == null ? 128 : batchSize,
                learningRate == null ? 0.1 : learningRate, datacenter == null ? "on-prem-de" : datacenter,
                cpuType == null ? "cpu-unknown" : cpuType);
    }

    public List<Violation> validate() {
        List<Violation> v = new ArrayList<>();
        if (steps != null && (steps < 1 || steps > MAX_STEPS)) {
            v.add(new Violation("steps", "must be in 1.." + MAX_STEPS + ", was " + steps));
        }
        if (batchSize != null && (batchSize < 1 || batchSize > MAX_BATCH)) {
            v.add(new Violation("batchSize", "must be in 1.." + MAX_BATCH + ", was " + batchSize));
        }
        if (learningRate != null && !(learningRate > 0 && learningRate <= 10)) {
            v.add(new Violation("learningRate", "must be in (0, 10], was " + learningRate));
        }
        return v;
    }
}
