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
    private final Decoded<RollupEvent> values = new Decoded<>(RollupEvent.class, 4096);

    RollupProcessor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        rollups = context.getStateStore(io.carbonstream.carbon.query.StoreNames.ROLLUP_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Rollups.Delta delta = EventJson.decode(record.value(), Rollups.Delta.class);
        int bar = record.key().indexOf('|');
        RollupEvent.Kind kind = RollupEvent.Kind.valueOf(record.key().substring(0, bar));
        String name = record.key().substring(bar + 1);
        String tenant = kind == RollupEvent.Kind.TENANT ? name : null;
        if (kind == RollupEvent.Kind.TENANT_MODEL) {
            int space = name.indexOf(' ');
            tenant = name.substring(0, space);
            name = name.substring(space + 1);
        }
        RollupEvent after = Rollups.add(values.get(rollups, record.key()), kind, tenant,
                name, delta, StaticTables.LIFETIME_SECONDS, clock.instant());
        byte[] bytes = values.put(rollups, record.key(), after);
        context.forward(record.withValue(new Routed(Topics.CARBON_ROLLUPS, bytes)));
    }
}
