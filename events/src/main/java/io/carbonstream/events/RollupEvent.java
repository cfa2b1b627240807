package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Totals over every job of a tenant or of a model: topic {@code carbon.rollups}, key = {@code kind|name}
 * (for example {@code TENANT|team-nlp}). Sums are exact; grams are derived from the exact integrals.
 *
 * @param kind  TENANT or MODEL (jobs whose model is not known yet count under model {@code unknown})
 * @param jobs  jobs with at least one counted batch
 */
public record RollupEvent(
        Integer schemaVersion,
        Kind kind,
        String name,
        long jobs,
        long batches,
        long tokens,
        BigDecimal itEnergyJoules,
        BigDecimal facilityEnergyJoules,
        BigDecimal operationalGCo2e,
        BigDecimal carbonIntegral,
        BigDecimal embodiedGCo2e,
        BigDecimal embodiedIntegral,
        Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;

    public enum Kind { TENANT, MODEL }

    public String key() {
        return kind + "|" + name;
    }
}
