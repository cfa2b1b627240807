package io.carbonstream.carbon.archive;

import io.carbonstream.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Readiness of the footprint archive: DOWN while one record has failed to be archived for longer than
 * {@code carbonstream.archive.stall-timeout} (default 1 minute), tried again all that time. The archive waits for
 * such a record rather than lose or skip it ({@link FootprintArchive}), and every ended job behind it on its
 * partition waits too; this check is what makes that wait visible to an orchestrator and its operator, with the
 * record, how long and how often it was tried and the last failure. Up again as soon as the record is archived.
 */
@Readiness
@ApplicationScoped
public class ArchiveReadiness implements HealthCheck {

    @ConfigProperty(name = "carbonstream.archive.stall-timeout", defaultValue = "1M")
    Duration stallTimeout;

    Clock clock = Clock.systemUTC();

    /** The record being tried again, or null while none is. */
    private volatile Failing failing;

    record Failing(String record, Instant since, long tries, String lastError) {
    }

    /** A try of the record (topic[partition]@offset) failed for a reason not its own; it will be tried again. */
    void failed(String record, Throwable e) {
        Failing f = failing;
        String error = EventJson.withoutJavaNames(String.valueOf(e.getMessage()));
        failing = f != null && f.record().equals(record) ? new Failing(record, f.since(), f.tries() + 1, error)
                : new Failing(record, clock.instant(), 1, error);
    }

    /** The record that was tried again is archived or dead-lettered: nothing waits any longer. */
    void cleared(String record) {
        Failing f = failing;
        if (f != null && f.record().equals(record)) {
            failing = null;
        }
    }

    @Override
    public HealthCheckResponse call() {
        Failing f = failing;
        if (f == null) {
            return HealthCheckResponse.named("footprint archive").up().build();
        }
        Duration waiting = Duration.between(f.since(), clock.instant());
        HealthCheckResponseBuilder b = HealthCheckResponse.named("footprint archive")
                .status(waiting.compareTo(stallTimeout) <= 0)
                .withData("retrying", f.record())
                .withData("failingFor", waiting.toString())
                .withData("tries", f.tries())
                .withData("lastError", f.lastError());
        return b.build();
    }
}
