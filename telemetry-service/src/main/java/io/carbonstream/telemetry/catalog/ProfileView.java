package io.carbonstream.telemetry.catalog;

import io.carbonstream.telemetry.power.PowerPoint;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A profile version as the API shows it. */
public record ProfileView(String id, int version, String kind, String name, BigDecimal idleWatts, BigDecimal maxWatts,
                          List<PowerPoint> curve, String sources, boolean retired, Instant createdAt) {

    static ProfileView of(ProfileRow r) {
        return new ProfileView(r.id, r.version, r.kind, r.name, r.idleWatts, r.maxWatts, Curves.parse(r.curve),
                r.sources, r.retired, r.createdAt);
    }
}
