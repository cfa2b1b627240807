package io.carbonstream.telemetry.power;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * The power model of one hardware type, at one version. Without a curve, power at utilisation u in 0..1 rises
 * linearly from {@code idleWatts} (u = 0) to {@code maxWatts} (u = 1); with a fitted curve, it is interpolated
 * linearly between the curve's points, which run from u = 0 to u = 1.
 *
 * @param id        stable id used in batch events, such as {@code nvidia-a100-sxm4-40gb}
 * @param version   increases with every change; energy events name the version they used
 * @param idleWatts watts at utilisation 0; null, with maxWatts, for a device whose power nobody publishes
 * @param curve     fitted points, ordered by utilisation from 0 to 1; empty for the straight line
 * @param sources   where the figures come from
 * @param tolerance the relative range of the modelled power at a reported utilisation: a calibrated profile's own
 *                  (the instrument's accuracy plus the fit's largest residual), or null for the default
 *                  ({@link io.carbonstream.events.Tolerances#MODEL})
 */
public record HardwareProfile(String id, int version, HardwareKind kind, String name, BigDecimal idleWatts,
                              BigDecimal maxWatts, List<PowerPoint> curve, String sources, BigDecimal tolerance) {

    public HardwareProfile {
        curve = curve == null ? List.of() : List.copyOf(curve);
        if (tolerance != null && (tolerance.signum() < 0 || tolerance.compareTo(BigDecimal.ONE) > 0)) {
            throw new IllegalArgumentException("tolerance must be in 0..1, was " + tolerance);
        }
        if (idleWatts == null || maxWatts == null) {
            if (idleWatts != maxWatts || !curve.isEmpty()) {
                throw new IllegalArgumentException("a profile without idle and max watts has no curve either");
            }
        } else {
            if (idleWatts.signum() < 0 || maxWatts.signum() < 0) {
                throw new IllegalArgumentException("watts must be >= 0");
            }
            if (idleWatts.compareTo(maxWatts) > 0) {
                throw new IllegalArgumentException("idleWatts " + idleWatts + " > maxWatts " + maxWatts);
            }
            if (!curve.isEmpty() && (curve.size() < 2 || curve.get(0).utilization().signum() != 0
                    || curve.get(curve.size() - 1).utilization().compareTo(BigDecimal.ONE) != 0)) {
                throw new IllegalArgumentException("a curve runs from utilization 0 to 1");
            }
        }
    }

    /** A profile with the default tolerance. */
    public HardwareProfile(String id, int version, HardwareKind kind, String name, BigDecimal idleWatts,
                           BigDecimal maxWatts, List<PowerPoint> curve, String sources) {
        this(id, version, kind, name, idleWatts, maxWatts, curve, sources, null);
    }

    /** The relative range of the modelled power at a reported utilisation: its own, or the model's default. */
    public BigDecimal modelTolerance() {
        return tolerance == null ? io.carbonstream.events.Tolerances.MODEL : tolerance;
    }

    /** A straight-line profile (no fitted curve). */
    public HardwareProfile(String id, int version, HardwareKind kind, String name, BigDecimal idleWatts,
                           BigDecimal maxWatts, String sources) {
        this(id, version, kind, name, idleWatts, maxWatts, List.of(), sources);
    }

    /** Whether the profile can price power: false for a device whose power nobody publishes, until it is given figures. */
    public boolean hasPowerModel() {
        return idleWatts != null;
    }

    /**
     * Watts drawn at utilisation {@code u} (0..1): on the straight line, or interpolated on the fitted curve.
     *
     * @throws NoPowerModelException when the profile has no power figures
     */
    public BigDecimal wattsAt(BigDecimal utilization) {
        if (!hasPowerModel()) {
            throw new NoPowerModelException(id);
        }
        if (utilization.signum() < 0 || utilization.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("utilization must be in 0..1, was " + utilization);
        }
        if (curve.isEmpty()) {
            return idleWatts.add(maxWatts.subtract(idleWatts).multiply(utilization, MathContext.DECIMAL128));
        }
        for (int i = 1; i < curve.size(); i++) {
            PowerPoint hi = curve.get(i);
            if (utilization.compareTo(hi.utilization()) <= 0) {
                PowerPoint lo = curve.get(i - 1);
                BigDecimal fraction = utilization.subtract(lo.utilization())
                        .divide(hi.utilization().subtract(lo.utilization()), MathContext.DECIMAL128);
                return lo.watts().add(hi.watts().subtract(lo.watts()).multiply(fraction, MathContext.DECIMAL128));
            }
        }
        return curve.get(curve.size() - 1).watts();
    }
}
