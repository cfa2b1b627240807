package io.carbonstream.streams;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection: every record and enum of streams-support that is not private.
 * Records are what carbonstream reads and writes as JSON, and Jackson finds their components by reflection. Names
 * rather than class literals, so that package-private types can be listed too. NativeReadinessTest keeps the list
 * exact.
 */
@RegisterForReflection(classNames = {
        "io.carbonstream.streams.Retention",
        "io.carbonstream.streams.StreamHealth$Progress"
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
