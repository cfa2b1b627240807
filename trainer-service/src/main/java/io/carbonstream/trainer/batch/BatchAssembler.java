package io.carbonstream.trainer.batch;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Violation;
import io.carbonstream.trainer.job.Job;
import io.carbonstream.trainer.job.JobRequest;
import io.carbonstream.trainer.job.JobState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the batch reports of one request into {@code training.batches} events, or into the list of everything
 * wrong with them. All or nothing: one bad report rejects the request, so a trainer never has to find out which
 * of its reports were taken.
 */
public final class BatchAssembler {

    /** Most reports one request may carry. */
    public static final int MAX_REPORTS_PER_REQUEST = 1000;

    private BatchAssembler() {
    }

    /** The outcome: events when {@code violations} is empty. */
    public record Result(List<BatchEvent> events, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    /**
     * @param job     the job, or null when unknown
     * @param reports the reports, in request order
     * @param array   whether the request body was an array (field names get an {@code [i].} prefix)
     */
    public static Result assemble(String jobId, Job job, List<BatchReport> reports, boolean array, Instant now) {
        List<Violation> violations = new ArrayList<>();
        if (job == null) {
            return new Result(List.of(), List.of(new Violation("jobId", "no job " + jobId + " is registered")));
        }
        if (job.state != JobState.RUNNING) {
            return new Result(List.of(), List.of(new Violation("jobId", "job " + jobId + " is " + job.state
                    + " and accepts no more batches")));
        }
        if (reports.isEmpty()) {
            return new Result(List.of(), List.of(new Violation(null, "no batch reports in the request")));
        }
        if (reports.size() > MAX_REPORTS_PER_REQUEST) {
            return new Result(List.of(), List.of(new Violation(null, reports.size()
                    + " reports in one request; at most " + MAX_REPORTS_PER_REQUEST + " are accepted")));
        }
        List<BatchEvent> events = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            String prefix = array ? "[" + i + "]." : "";
            BatchReport r = reports.get(i);
            if (r == null) {
                violations.add(new Violation(array ? "[" + i + "]" : null, "is null"));
                continue;
            }
            BatchEvent e = toEvent(job, r);
            for (Violation v : BatchValidation.validate(e)) {
                violations.add(new Violation(prefix + v.field(), v.message()));
            }
            if (r.endedAt() != null && r.endedAt().isAfter(now.plus(JobRequest.CLOCK_SKEW))) {
                violations.add(new Violation(prefix + "endedAt", "is in the future (" + r.endedAt() + ", now " + now + ")"));
            }
            if (r.startedAt() != null && r.startedAt().isBefore(job.startedAt.minus(JobRequest.CLOCK_SKEW))) {
                violations.add(new Violation(prefix + "startedAt", "is before the job started (" + r.startedAt()
                        + " < " + job.startedAt + ")"));
            }
            events.add(e);
        }
        return violations.isEmpty() ? new Result(events, List.of()) : new Result(List.of(), violations);
    }

    /** The event of one report of a job, before validation. */
    public static BatchEvent toEvent(Job job, BatchReport r) {
        String worker = r.workerId() == null ? "0" : r.workerId();
        Phase phase = r.phase() == null ? job.phase : r.phase();
        var eventId = r.eventId() != null ? r.eventId()
                : r.step() == null ? null : BatchEvent.deriveEventId(job.id, worker, phase, r.step());
        return BatchEvent.builder().schemaVersion(BatchEvent.SCHEMA_VERSION).eventId(eventId)
                .jobId(job.id).tenant(job.tenant).workerId(worker).step(r.step()).phase(phase)
                .startedAt(r.startedAt()).endedAt(r.endedAt())
                .samples(r.samples()).tokens(r.tokens() == null ? Long.valueOf(0) : r.tokens()).flops(r.flops())
                .acceleratorType(job.acceleratorType)
                .acceleratorCount(r.acceleratorCount() == null ? Integer.valueOf(job.acceleratorsPerWorker) : r.acceleratorCount())
                .utilization(r.utilization()).measuredPowerWatts(r.measuredPowerWatts()).powerSource(r.powerSource())
                .cpuSeconds(r.cpuSeconds()).measuredCpuWatts(r.measuredCpuWatts()).powerTolerance(r.powerTolerance())
                .cpuType(job.cpuType).cpuCores(job.cpuCoresPerWorker).memoryGb(job.memoryGbPerWorker)
                .memoryType(job.memoryType).hostType(job.hostType).hostNodes(job.hostNodesPerWorker)
                .datacenter(job.datacenter).build();
    }
}
