package io.carbonstream.telemetry.power;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The power model of one hardware type, at one version: power at utilisation u in 0..1 rises linearly from
 * {@code idleWatts} (u = 0) to {@code maxWatts} (u = 1).
 *
 * @param id        stable id used in batch events, such as {@code nvidia-a100-sxm4-40gb}
 * @param version   increases with every change; energy events name the version they used
 * @param sources   where the figures come from
 */
public record HardwareProfile(String id, int version, HardwareKind kind, String name, BigDecimal idleWatts,
                              BigDecimal maxWatts, String sources) {

    public HardwareProfile {
        if (idleWatts.signum() < 0 || maxWatts.signum() < 0) {
            throw new IllegalArgumentException("watts must be >= 0");
        }
        if (idleWatts.compareTo(maxWatts) > 0) {
            throw new IllegalArgumentException("idleWatts " + idleWatts + " > maxWatts " + maxWatts);
        }
    }

    /** Watts drawn at utilisation {@code u} (0..1), exactly: idle + (max - idle) x u. */
    public BigDecimal wattsAt(BigDecimal utilization) {
        if (utilization.signum() < 0 || utilization.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("utilization must be in 0..1, was " + utilization);
        }
        return idleWatts.add(maxWatts.subtract(idleWatts).multiply(utilization, MathContext.DECIMAL128));
    }
}
