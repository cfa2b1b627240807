package io.carbonstream.events;

/** Where a measured power reading came from. */
public enum PowerSource {
    /** NVIDIA Management Library (nvidia-smi, DCGM read the same counters). */
    NVML,
    /** Intel/AMD Running Average Power Limit energy counters. */
    RAPL,
    /** Baseboard management controller power sensor. */
    IPMI,
    /** AMD ROCm System Management Interface. */
    ROCM_SMI,
    /** A power meter or PDU outside the host. */
    METER,
    /** Not a reading: an average declared for a replayed or planned run (published figures, estimates). */
    DECLARED,
    OTHER
}
