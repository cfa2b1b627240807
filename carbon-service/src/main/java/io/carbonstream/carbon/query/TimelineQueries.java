package io.carbonstream.carbon.query;

import io.carbonstream.carbon.accounting.TimelineBucket;
import io.carbonstream.carbon.accounting.TimelinePoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Jobs' timelines: the minute buckets of {@link StoreNames#TIMELINE_STORE} in the partition of the job's id (on its
 * owner, where {@link OwnerRouting} sends the request), decoded and summed into periods ({@link TimelinePoint}).
 */
@ApplicationScoped
public class TimelineQueries {

    @Inject
    Queries queries;

    @Inject
    FootprintQueries footprints;

    /**
     * The job's timeline in periods of {@code step}, oldest first, for a caller who sees the tenants {@code seen};
     * 404 for a job without a counted batch and for another tenant's.
     */
    public List<TimelinePoint> timeline(String jobId, Duration step, Predicate<String> seen) {
        String tenant = footprints.tenantOf(jobId);
        if (!seen.test(tenant)) {
            throw FootprintQueries.notCounted(jobId);
        }
        List<TimelineBucket> minutes = minutes(jobId);
        if (minutes.isEmpty()) {
            throw FootprintQueries.notCounted(jobId);
        }
        return TimelinePoint.of(minutes, step);
    }

    /** The job's minute buckets, oldest first. */
    List<TimelineBucket> minutes(String jobId) {
        List<TimelineBucket> minutes = new ArrayList<>();
        try (var it = queries.storeForJob(StoreNames.TIMELINE_STORE, jobId)
                .range(StoreNames.timelineFirst(jobId), StoreNames.timelineLast(jobId))) {
            it.forEachRemaining(kv -> minutes.add(StoreValues.bucket(kv.value)));
        } catch (InvalidStateStoreException e) {
            throw Queries.moving("footprints are being restored");  // the partition moved while it was read
        }
        return minutes;
    }
}
