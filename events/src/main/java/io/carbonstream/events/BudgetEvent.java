package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's carbon budget per calendar month (UTC), on the compacted {@code carbon.budgets} (key: tenant); a
 * tombstone removes it.
 *
 * @param monthlyGCo2e the budget of every month, g CO2e (operational + embodied of the batches that ran in it)
 * @param setBy        who set it (the token's subject)
 * @param setAt        when
 */
public record BudgetEvent(Integer schemaVersion, String tenant, BigDecimal monthlyGCo2e, String setBy, Instant setAt) {

    public static final int SCHEMA_VERSION = 1;
}
