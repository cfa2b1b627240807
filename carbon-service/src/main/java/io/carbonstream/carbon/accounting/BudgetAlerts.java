package io.carbonstream.carbon.accounting;

import io.carbonstream.events.AlertEvent;
import io.carbonstream.events.FootprintEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which thresholds of a carbon budget (50, 80 and 100 % of it) a new total crosses for the first time. Exact: a
 * threshold is crossed when {@code total x 100 >= threshold x budget}, in decimals, without a rounded share. Each
 * threshold is raised once, in order, however the total moves afterwards: the caller keeps the highest one raised
 * with the totals, in the same transaction as the alerts it publishes.
 */
public final class BudgetAlerts {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private BudgetAlerts() {
    }

    /** A footprint with its budget's alerted threshold raised, and the alerts raising it. */
    public record Raised(FootprintEvent footprint, List<AlertEvent> alerts) {
    }

    /** The job's declared budget against its running footprint and its projection to completion. */
    public static Raised job(FootprintEvent f) {
        FootprintEvent.Budget b = f.budget();
        if (b == null) {
            return new Raised(f, List.of());
        }
        BigDecimal running = f.operationalGCo2e().add(f.embodiedGCo2e());
        BigDecimal projected = f.projection() == null ? null
                : f.projection().operationalGCo2e().add(f.projection().embodiedGCo2e());
        List<AlertEvent> alerts = new ArrayList<>();
        int alerted = b.alertedPercent();
        for (int t : AlertEvent.THRESHOLDS) {
            if (t <= alerted) {
                continue;
            }
            boolean byRunning = crosses(running, t, b.gCo2e());
            if (!byRunning && (projected == null || !crosses(projected, t, b.gCo2e()))) {
                break;
            }
            alerts.add(new AlertEvent(AlertEvent.SCHEMA_VERSION, AlertEvent.id(AlertEvent.Scope.JOB, f.jobId(), null, t),
                    AlertEvent.Scope.JOB, f.jobId(), f.tenant(), null, t, byRunning ? "running" : "projected", b.gCo2e(),
                    running, projected, f.updatedAt()));
            alerted = t;
        }
        if (alerts.isEmpty()) {
            return new Raised(f, alerts);
        }
        return new Raised(FootprintAccumulator.withBudget(f,
                new FootprintEvent.Budget(b.gCo2e(), b.usedShare(), b.projectedShare(), alerted)), alerts);
    }

    /** What a tenant's month total raises, from {@code alerted} (the highest already raised). */
    public record Month(int alerted, List<AlertEvent> alerts) {
    }

    /** A tenant's budget for a calendar month against the month's running total. */
    public static Month tenantMonth(String tenant, String month, BigDecimal budget, BigDecimal total, int alerted, Instant at) {
        List<AlertEvent> alerts = new ArrayList<>();
        for (int t : AlertEvent.THRESHOLDS) {
            if (t <= alerted) {
                continue;
            }
            if (!crosses(total, t, budget)) {
                break;
            }
            alerts.add(new AlertEvent(AlertEvent.SCHEMA_VERSION, AlertEvent.id(AlertEvent.Scope.TENANT_MONTH, tenant, month, t),
                    AlertEvent.Scope.TENANT_MONTH, null, tenant, month, t, "running", budget, total, null, at));
            alerted = t;
        }
        return new Month(alerted, alerts);
    }

    static boolean crosses(BigDecimal total, int thresholdPercent, BigDecimal budget) {
        return total.multiply(HUNDRED).compareTo(budget.multiply(BigDecimal.valueOf(thresholdPercent))) >= 0;
    }
}
