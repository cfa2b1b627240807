package io.carbonstream.trainer;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection: every record and enum of trainer-service that is not private.
 * Records are what carbonstream reads and writes as JSON, and Jackson finds their components by reflection. Names
 * rather than class literals, so that package-private types can be listed too. NativeReadinessTest keeps the list
 * exact.
 */
@RegisterForReflection(classNames = {
        "io.carbonstream.trainer.batch.BatchAssembler$Result",
        "io.carbonstream.trainer.batch.BatchReport",
        "io.carbonstream.trainer.builtin.RunRequest",
        "io.carbonstream.trainer.builtin.RunStatus",
        "io.carbonstream.trainer.job.JobRequest",
        "io.carbonstream.trainer.job.JobState",
        "io.carbonstream.trainer.job.JobView",
        "io.carbonstream.trainer.replay.ReplayRequest",
        "io.carbonstream.trainer.replay.ReplayStatus",
        "io.carbonstream.trainer.rest.BatchResource$Accepted",
        "io.carbonstream.trainer.rest.JobResource$FinishRequest",
        "io.carbonstream.trainer.rest.JsonBodies$Values"
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
