package io.carbonstream.telemetry.catalog;

import io.carbonstream.events.Tolerances;
import io.carbonstream.telemetry.power.PowerPoint;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A profile version as the API shows it.
 *
 * @param powerModel LINEAR (idle to max), CURVE (fitted to measurements) or NONE (no published power: idle and max
 *                   are null until the profile is given figures or calibrated)
 * @param tolerance  the relative range of its modelled power at a reported utilisation: a calibrated curve's own
 *                   (the instrument's accuracy plus the fit's largest residual), else the model's default 0.40; null
 *                   when the profile has no power model
 */
public record ProfileView(String id, int version, String kind, String name, String powerModel, BigDecimal idleWatts,
                          BigDecimal maxWatts, List<PowerPoint> curve, String sources, boolean retired, Instant createdAt,
                          BigDecimal tolerance) {

    static ProfileView of(ProfileRow r) {
        List<PowerPoint> curve = Curves.parse(r.curve);
        String model = r.idleWatts == null ? "NONE" : curve.isEmpty() ? "LINEAR" : "CURVE";
        return new ProfileView(r.id, r.version, r.kind, r.name, model, r.idleWatts, r.maxWatts, curve, r.sources,
                r.retired, r.createdAt,
                r.idleWatts == null ? null : r.tolerance == null ? Tolerances.MODEL : r.tolerance);
    }
}
