package io.carbonstream.carbon;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection: every record and enum of carbon-service that is not private.
 * Records are what carbonstream reads and writes as JSON, and Jackson finds their components by reflection. Names
 * rather than class literals, so that package-private types can be listed too. NativeReadinessTest keeps the list
 * exact.
 */
@RegisterForReflection(classNames = {
        "io.carbonstream.carbon.accounting.BatchCharge",
        "io.carbonstream.carbon.accounting.BudgetAlerts$Month",
        "io.carbonstream.carbon.accounting.BudgetAlerts$Raised",
        "io.carbonstream.carbon.accounting.FootprintAccumulator$ChargedBatch",
        "io.carbonstream.carbon.report.TenantMonthReport",
        "io.carbonstream.carbon.report.TenantMonthReport$Line",
        "io.carbonstream.carbon.rest.BudgetResource$BudgetRequest",
        "io.carbonstream.carbon.accounting.Rollups$Delta",
        "io.carbonstream.carbon.accounting.Spread",
        "io.carbonstream.carbon.accounting.TimelineBucket",
        "io.carbonstream.carbon.advice.AdviceService$BestWindow",
        "io.carbonstream.carbon.advice.AdviceService$Window",
        "io.carbonstream.carbon.archive.ArchiveReadiness$Failing",
        "io.carbonstream.carbon.estimate.Comparison$Alternative",
        "io.carbonstream.carbon.estimate.Comparison$Request",
        "io.carbonstream.carbon.estimate.Comparison$Result",
        "io.carbonstream.carbon.estimate.Estimate",
        "io.carbonstream.carbon.estimate.Estimate$Assumption",
        "io.carbonstream.carbon.estimate.Estimate$Charged",
        "io.carbonstream.carbon.estimate.EstimateRequest",
        "io.carbonstream.carbon.grid.Datacenter",
        "io.carbonstream.carbon.grid.DatacenterCatalog$At",
        "io.carbonstream.carbon.grid.DatacenterCatalog$Instrument",
        "io.carbonstream.carbon.grid.DatacenterCatalog$InstrumentKind",
        "io.carbonstream.carbon.grid.DatacenterCatalog$Pue",
        "io.carbonstream.carbon.grid.DatacenterCatalog$ResidualMix",
        "io.carbonstream.carbon.grid.DatacenterCatalog$Site",
        "io.carbonstream.carbon.grid.DatacenterService$PueRequest",
        "io.carbonstream.carbon.grid.DatacenterService$Request",
        "io.carbonstream.carbon.grid.DatacenterService$View",
        "io.carbonstream.carbon.grid.ManualObservation",
        "io.carbonstream.carbon.grid.MarketService$InstrumentRequest",
        "io.carbonstream.carbon.grid.MarketService$ResidualMixRequest",
        "io.carbonstream.carbon.providers.IntensityPoller$Status",
        "io.carbonstream.carbon.query.FootprintQueries$Filter",
        "io.carbonstream.carbon.query.Queries$Here",
        "io.carbonstream.carbon.query.Queries$There",
        "io.carbonstream.carbon.report.ImpactSummary",
        "io.carbonstream.carbon.report.JobReport",
        "io.carbonstream.carbon.accounting.TimelinePoint",
        "io.carbonstream.carbon.estimate.WhatIf",
        "io.carbonstream.carbon.rest.IntensityResource$Applied",
        "io.carbonstream.carbon.streams.Decoded$Encoded",
        "io.carbonstream.carbon.streams.Routed",
        "io.carbonstream.carbon.streams.Routed$Sink"
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
