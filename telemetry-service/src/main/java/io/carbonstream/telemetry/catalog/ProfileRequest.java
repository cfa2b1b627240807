package io.carbonstream.telemetry.catalog;

import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Limits;
import io.carbonstream.events.Violation;
import io.carbonstream.telemetry.power.HardwareKind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /hardware} (with {@code id}) and {@code PUT /hardware/{id}}.
 *
 * @param kind      ACCELERATOR (W per device), CPU (W per vCPU), MEMORY (W per GB) or HOST (W per node)
 * @param idleWatts with maxWatts, the power figures; both left out for a device whose power is not published
 *                  (no power model: batches that need one are dead-lettered until it is given figures)
 * @param sources   where the figures come from: required, a figure without a source is not accepted
 */
public record ProfileRequest(String id, HardwareKind kind, String name, BigDecimal idleWatts, BigDecimal maxWatts,
                             String sources) {

    /** Highest power a single profile may declare: 100 kW. */
    public static final BigDecimal MAX_WATTS = BigDecimal.valueOf(100_000);

    public List<Violation> validate(boolean creating) {
        List<Violation> v = new ArrayList<>();
        if (creating && (id == null || !id.matches("[a-z0-9][a-z0-9._-]{0," + (Limits.MAX_ID_LENGTH - 1) + "}"))) {
            v.add(new Violation("id", "is required: lower-case letters, digits, '.', '_' or '-', at most " + Limits.MAX_ID_LENGTH));
        }
        if (kind == null) {
            v.add(new Violation("kind", "is required"));
        }
        BatchValidation.text(v, "name", name, Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.source(v, "sources", sources, "name where the figures come from");
        if (idleWatts == null && maxWatts == null) {
            return v; // a device whose power nobody publishes: no power model until it is given figures
        }
        watts(v, "idleWatts", idleWatts);
        watts(v, "maxWatts", maxWatts);
        if (idleWatts != null && maxWatts != null && idleWatts.compareTo(maxWatts) > 0) {
            v.add(new Violation("idleWatts", "must not exceed maxWatts (" + idleWatts.toPlainString() + " > "
                    + maxWatts.toPlainString() + ")"));
        }
        return v;
    }

    private static void watts(List<Violation> v, String field, BigDecimal value) {
        if (value == null) {
            v.add(new Violation(field, "is required with the other watts figure (give both, or neither for a device"
                    + " whose power is not published)"));
        } else if (value.signum() < 0 || value.compareTo(MAX_WATTS) > 0) {
            v.add(new Violation(field, "must be in 0..100000, was " + value.toPlainString()));
        }
    }
}
