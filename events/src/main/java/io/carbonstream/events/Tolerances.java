package io.carbonstream.events;

import java.math.BigDecimal;

/**
 * The relative accuracy carbonstream gives an energy figure by how it was obtained, when nothing more specific is
 * known (a batch can declare its own {@code powerTolerance}). docs/methodology.md, "Uncertainty", gives the reasons
 * and sources; each constant names its own.
 */
public final class Tolerances {

    /**
     * NVML power readings: +/- 5 %, NVIDIA's own statement in the NVML API reference for
     * {@code nvmlDeviceGetPowerUsage} ("On Fermi and Kepler GPUs the reading is accurate to within +/- 5% of current
     * power draw"). NVIDIA states no figure for later parts; carbonstream applies the same 5 %.
     */
    public static final BigDecimal NVML = new BigDecimal("0.05");
    /**
     * A power meter or PDU outside the host: +/- 1 %, accuracy class 1 of IEC 62053-21 (static meters for active
     * energy), the usual class of metered rack PDUs.
     */
    public static final BigDecimal METER = new BigDecimal("0.01");
    /**
     * RAPL, IPMI/BMC sensors, ROCm SMI and other on-board sensors: +/- 10 %. Their vendors publish no accuracy;
     * carbonstream's default is twice NVML's documented 5 %.
     */
    public static final BigDecimal ONBOARD_SENSOR = new BigDecimal("0.10");
    /**
     * An average declared for a replayed or planned run without a tolerance of its own: +/- 10 %, as for an on-board
     * sensor, since published averages (such as Patterson et al. 2021, Table 4) come from such readings.
     */
    public static final BigDecimal DECLARED = new BigDecimal("0.10");
    /**
     * The power model at a reported utilisation: +/- 40 %, the largest disagreement between a model-based tracker
     * (CodeCarbon) and a wall meter reported by Fischer 2025 (arXiv 2509.22092). Bounds never leave the profile's
     * idle..max range.
     */
    public static final BigDecimal MODEL = new BigDecimal("0.40");

    private Tolerances() {
    }

    /** The tolerance of a reading from {@code source}. */
    public static BigDecimal of(PowerSource source) {
        if (source == null) {
            return ONBOARD_SENSOR;
        }
        return switch (source) {
            case NVML -> NVML;
            case METER -> METER;
            case DECLARED -> DECLARED;
            case RAPL, IPMI, ROCM_SMI, OTHER -> ONBOARD_SENSOR;
        };
    }

    /**
     * The tolerance of an energy event's whole IT energy when the event carries no bounds (schema version 1): the
     * tolerance of its method. A modelled event of version 1 is given the model's tolerance.
     */
    public static BigDecimal of(EnergyMethod method) {
        return switch (method) {
            case MEASURED -> ONBOARD_SENSOR;
            case DECLARED -> DECLARED;
            case MODELED -> MODEL;
        };
    }
}
