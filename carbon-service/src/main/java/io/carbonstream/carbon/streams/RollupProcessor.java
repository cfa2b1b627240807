package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.accounting.Rollups;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.events.Topics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Clock;

/** Sums the per-batch deltas, repartitioned by roll-up key ({@code kind|name}), into {@code carbon.rollups}. */
final class RollupProcessor implements Processor<String, byte[], String, Routed> {

    private final Clock clock;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, byte[]> rollups;
    private KeyValueStore<String, byte[]> budgets;
    private KeyValueStore<String, Integer> alerted;
    private final io.micrometer.core.instrument.MeterRegistry registry;
    private final Decoded<RollupEvent> values = new Decoded<>(RollupEvent.class);

    RollupProcessor(Clock clock, io.micrometer.core.instrument.MeterRegistry registry) {
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        rollups = context.getStateStore(io.carbonstream.carbon.query.StoreNames.ROLLUP_STORE);
        budgets = context.getStateStore(io.carbonstream.carbon.query.StoreNames.BUDGET_STORE);
        alerted = context.getStateStore(io.carbonstream.carbon.query.StoreNames.BUDGET_ALERTED_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Rollups.Delta delta = EventJson.decode(record.value(), Rollups.Delta.class);
        int bar = record.key().indexOf('|');
        RollupEvent.Kind kind = RollupEvent.Kind.valueOf(record.key().substring(0, bar));
        String name = record.key().substring(bar + 1);
        String tenant = kind == RollupEvent.Kind.TENANT ? name : null;
        if (kind == RollupEvent.Kind.TENANT_MODEL || kind == RollupEvent.Kind.TENANT_MONTH
                || kind == RollupEvent.Kind.TENANT_MONTH_JOB) {
            int space = name.indexOf(' ');
            tenant = name.substring(0, space);
            name = name.substring(space + 1);
        }
        RollupEvent after = Rollups.add(values.get(rollups, record.key()), kind, tenant,
                name, delta, StaticTables.LIFETIME_SECONDS, clock.instant());
        byte[] bytes = values.put(rollups, record.key(), after);
        if (RollupEvent.published(kind)) {
            context.forward(record.withValue(Routed.to(Topics.CARBON_ROLLUPS, bytes)));
        }
        if (kind == RollupEvent.Kind.TENANT_MONTH) {
            checkBudget(record, after);
        }
    }

    /** Alerts each threshold of the tenant's monthly budget the month's total crosses, once. */
    private void checkBudget(Record<String, byte[]> record, RollupEvent month) {
        byte[] set = budgets.get(month.tenant());
        if (set == null) {
            return;
        }
        var budget = EventJson.decode(set, io.carbonstream.events.BudgetEvent.class);
        Integer before = alerted.get(record.key());
        var raised = io.carbonstream.carbon.accounting.BudgetAlerts.tenantMonth(month.tenant(), month.name(),
                budget.monthlyGCo2e(), month.operationalGCo2e().add(month.embodiedGCo2e()), before == null ? 0 : before,
                month.updatedAt());
        if (raised.alerts().isEmpty()) {
            return;
        }
        alerted.put(record.key(), raised.alerted());
        Routed.alerts(context, record, month.tenant(), raised.alerts(), registry);
    }
}
