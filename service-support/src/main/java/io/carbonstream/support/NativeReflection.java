package io.carbonstream.support;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection: every record and enum of the event contract (module events, which
 * has no Quarkus) and of service-support that is not private. Records are what carbonstream reads and writes as
 * JSON, and Jackson finds their components by reflection. Names rather than class literals, so that package-private
 * types can be listed too. NativeReadinessTest keeps the list exact.
 */
@RegisterForReflection(classNames = {
        "io.carbonstream.events.AlertEvent",
        "io.carbonstream.events.AlertEvent$Scope",
        "io.carbonstream.events.BatchEvent",
        "io.carbonstream.events.Bounds",
        "io.carbonstream.events.BudgetEvent",
        "io.carbonstream.events.DataQuality",
        "io.carbonstream.events.FootprintEvent$Budget",
        "io.carbonstream.events.FootprintEvent$MarketFactor",
        "io.carbonstream.events.DeadLetter",
        "io.carbonstream.events.Energy",
        "io.carbonstream.events.EnergyEvent",
        "io.carbonstream.events.EnergyMethod",
        "io.carbonstream.events.FootprintEvent",
        "io.carbonstream.events.FootprintEvent$AppliedIntensity",
        "io.carbonstream.events.FootprintEvent$Head",
        "io.carbonstream.events.FootprintEvent$PhaseTotals",
        "io.carbonstream.events.FootprintEvent$Projection",
        "io.carbonstream.events.FootprintEvent$Sci",
        "io.carbonstream.events.GridIntensityEvent",
        "io.carbonstream.events.GridIntensityEvent$Signal",
        "io.carbonstream.events.GridIntensityEvent$Source",
        "io.carbonstream.events.IntensityBasis",
        "io.carbonstream.events.JobEvent",
        "io.carbonstream.events.Phase",
        "io.carbonstream.events.PowerSource",
        "io.carbonstream.events.RollupEvent",
        "io.carbonstream.events.RollupEvent$Kind",
        "io.carbonstream.events.Scope2",
        "io.carbonstream.events.Uncertainty",
        "io.carbonstream.events.Violation",
        "io.carbonstream.support.Problem"
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
