package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Totals over every job of a tenant, of a model, or of a model within one tenant: topic {@code carbon.rollups}, key
 * {@link #key()} (for example {@code TENANT|team-nlp}, {@code MODEL|llama-7b}, {@code TENANT_MODEL|team-nlp llama-7b}).
 * Sums are exact; grams are derived from the exact integrals.
 *
 * @param kind   TENANT, MODEL (every tenant's jobs of the model) or TENANT_MODEL (one tenant's jobs of the model);
 *               jobs whose model is not known yet count under model {@code unknown}
 * @param name   the tenant (TENANT) or the model (MODEL, TENANT_MODEL)
 * @param jobs   jobs with at least one counted batch
 * @param tenant the tenant of a TENANT or TENANT_MODEL roll-up; null for MODEL
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
        Instant updatedAt,
        String tenant) {

    public static final int SCHEMA_VERSION = 1;

    /** TENANT_MONTH: a tenant's totals of the batches that ran in a calendar month (UTC), name {@code yyyy-MM}. */
    public enum Kind { TENANT, MODEL, TENANT_MODEL, TENANT_MONTH }

    public String key() {
        return key(kind, tenant, name);
    }

    /** The record key of a roll-up; a tenant id holds no space, so the one after it ends it. */
    public static String key(Kind kind, String tenant, String name) {
        return kind == Kind.TENANT_MODEL || kind == Kind.TENANT_MONTH ? kind + "|" + tenant + " " + name : kind + "|" + name;
    }
}
