package io.carbonstream.telemetry;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection: every record and enum of telemetry-service that is not private.
 * Records are what carbonstream reads and writes as JSON, and Jackson finds their components by reflection. Names
 * rather than class literals, so that package-private types can be listed too. NativeReadinessTest keeps the list
 * exact.
 */
@RegisterForReflection(classNames = {
        "io.carbonstream.telemetry.catalog.ProfileRequest",
        "io.carbonstream.telemetry.catalog.ProfileView",
        "io.carbonstream.telemetry.deadletter.DeadLetterResource$RedriveRequest",
        "io.carbonstream.telemetry.deadletter.DeadLetters$Entry",
        "io.carbonstream.telemetry.deadletter.DeadLetters$Filter",
        "io.carbonstream.telemetry.deadletter.DeadLetters$Redrive",
        "io.carbonstream.telemetry.power.EnergyCalculator$Watts",
        "io.carbonstream.telemetry.power.HardwareKind",
        "io.carbonstream.telemetry.power.HardwareProfile",
        "io.carbonstream.telemetry.power.IdleGaps$Interval",
        "io.carbonstream.telemetry.power.PowerPoint",
        "io.carbonstream.telemetry.rest.HardwareResource$Calibration",
        "io.carbonstream.telemetry.rest.HardwareResource$PowerAt",
        "io.carbonstream.telemetry.streams.WorkerIntervals$Change"
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
