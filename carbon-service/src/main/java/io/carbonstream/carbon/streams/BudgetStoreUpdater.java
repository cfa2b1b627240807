package io.carbonstream.carbon.streams;

import io.carbonstream.events.BudgetEvent;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.InvalidEventException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Files each tenant's monthly budget of {@code carbon.budgets} in the global budget store (every instance holds
 * all of them: the roll-up of a tenant's month may be owned by any instance). A budget without an amount removes
 * the tenant's. Only carbon-service writes the topic, after validating; a record that is still not a valid
 * budget is skipped with a log line.
 */
final class BudgetStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = Logger.getLogger(BudgetStoreUpdater.class);

    private KeyValueStore<String, byte[]> budgets;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        budgets = context.getStateStore(io.carbonstream.carbon.query.StoreNames.BUDGET_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            budgets.delete(record.key());
            return;
        }
        try {
            BudgetEvent b = EventValidation.read(record.key(), record.value(), BudgetEvent.class, EventValidation::budget,
                    BudgetEvent::tenant, "tenant");
            if (b.monthlyGCo2e() == null) {
                budgets.delete(record.key());
            } else {
                budgets.put(record.key(), record.value());
            }
        } catch (InvalidEventException | java.io.UncheckedIOException e) {
            LOG.warnf("skipping carbon.budgets record with key %s: %s", record.key(), e.getMessage());
        }
    }
}
