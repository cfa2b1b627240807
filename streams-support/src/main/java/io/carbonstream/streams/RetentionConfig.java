package io.carbonstream.streams;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The retention settings of a stream service ({@code carbonstream.retention.*}), read in one place for both
 * telemetry-service and carbon-service: see {@link Retention}.
 */
@ConfigMapping(prefix = "carbonstream.retention")
public interface RetentionConfig {

    /** How long an entry is kept ({@code carbonstream.retention.horizon}, 24 hours). */
    @WithDefault("24H")
    Duration horizon();

    /** Entries read per task and sweep ({@code carbonstream.retention.sweep-entries}, 2000). */
    @WithDefault("2000")
    int sweepEntries();

    /** These settings, checked. */
    default Retention retention() {
        return new Retention(horizon(), sweepEntries());
    }

    /** Fixed settings, for a topology built without CDI (unit tests); the defaults are {@code of(24 h, 2000)}. */
    static RetentionConfig of(Duration horizon, int sweepEntries) {
        return new RetentionConfig() {
            @Override
            public Duration horizon() {
                return horizon;
            }

            @Override
            public int sweepEntries() {
                return sweepEntries;
            }
        };
    }
}
