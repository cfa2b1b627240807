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
 * @param uncertainty the low and high ends of the energy and CO2e totals (schema version 2)
 * @param dataQuality how the energy was known and which kind of intensity was charged (schema version 2)
 * @param scope2      location-based and market-based Scope 2 emissions (schema version 2)
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
        String tenant,
        Uncertainty uncertainty,
        DataQuality dataQuality,
        Scope2 scope2) {

    /** 2 added {@code uncertainty}, {@code dataQuality} and {@code scope2}. */
    public static final int SCHEMA_VERSION = 2;

    /** A roll-up without bounds or data quality, as schema version 1 wrote them. */
    public RollupEvent(Integer schemaVersion, Kind kind, String name, long jobs, long batches, long tokens,
                       BigDecimal itEnergyJoules, BigDecimal facilityEnergyJoules, BigDecimal operationalGCo2e,
                       BigDecimal carbonIntegral, BigDecimal embodiedGCo2e, BigDecimal embodiedIntegral,
                       Instant updatedAt, String tenant) {
        this(schemaVersion, kind, name, jobs, batches, tokens, itEnergyJoules, facilityEnergyJoules, operationalGCo2e,
                carbonIntegral, embodiedGCo2e, embodiedIntegral, updatedAt, tenant, null, null, null);
    }

    /**
     * TENANT_MONTH: a tenant's totals of the batches that ran in a calendar month (UTC), name {@code yyyy-MM}.
     * TENANT_MONTH_JOB: one job's part of it, name {@code yyyy-MM jobId}: kept by carbon-service for the tenant's
     * monthly report (GET /reports/tenants/{tenant}/months/{yyyy-MM}), never published to {@code carbon.rollups}.
     */
    public enum Kind { TENANT, MODEL, TENANT_MODEL, TENANT_MONTH, TENANT_MONTH_JOB }

    /** Whether roll-ups of this kind are published to {@code carbon.rollups} and listed by {@code GET /rollups}. */
    public static boolean published(Kind kind) {
        return kind != Kind.TENANT_MONTH_JOB;
    }

    public String key() {
        return key(kind, tenant, name);
    }

    /** The record key of a roll-up; a tenant id holds no space, so the one after it ends it. */
    public static String key(Kind kind, String tenant, String name) {
        return kind == Kind.TENANT_MODEL || kind == Kind.TENANT_MONTH || kind == Kind.TENANT_MONTH_JOB
                ? kind + "|" + tenant + " " + name : kind + "|" + name;
    }
}
