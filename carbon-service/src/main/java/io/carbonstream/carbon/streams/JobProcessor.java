package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.accounting.FootprintAccumulator;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.events.JobEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import io.carbonstream.events.EventValidation;

/**
 * Keeps each job's latest description from {@code training.jobs} next to its footprint (same partitioning), and
 * republishes the footprint when the job changes (finished, failed), with its new state and projection. A record
 * that is no valid job description goes to {@code training.jobs.dlq} with the reason.
 */
final class JobProcessor implements Processor<String, byte[], String, Routed> {

    private final java.time.Clock clock;
    private final io.micrometer.core.instrument.MeterRegistry registry;

    JobProcessor(java.time.Clock clock, io.micrometer.core.instrument.MeterRegistry registry) {
        this.clock = clock;
        this.registry = registry;
    }

    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, byte[]> jobs;
    private KeyValueStore<String, byte[]> footprints;

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        jobs = context.getStateStore(io.carbonstream.carbon.query.StoreNames.JOB_STORE);
        footprints = context.getStateStore(io.carbonstream.carbon.query.StoreNames.FOOTPRINT_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        JobEvent job;
        try {
            job = EventValidation.read(record.key(), record.value(), JobEvent.class, EventValidation::job, JobEvent::jobId,
                    "jobId");
        } catch (InvalidEventException e) {
            context.forward(record.withValue(Routed.deadLetter(context, record.key(), record.value(), e.field(), e.reason(),
                    clock.instant(), registry)));
            return;
        }
        jobs.put(job.jobId(), record.value());
        byte[] current = footprints.get(job.jobId());
        if (current != null) {
            FootprintEvent before = EventJson.decode(current, FootprintEvent.class);
            if (!job.state().equals(before.jobState())) {
                var raised = io.carbonstream.carbon.accounting.BudgetAlerts.job(FootprintAccumulator.withJob(before, job));
                byte[] after = EventJson.encode(raised.footprint());
                footprints.put(job.jobId(), after);
                context.forward(Routed.footprint(job.jobId(), raised.footprint().jobState(), after, record.timestamp(),
                        record.headers()));
                Routed.alerts(context, record, job.jobId(), raised.alerts(), registry);
            }
        }
    }
}
