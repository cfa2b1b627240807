package io.carbonstream.telemetry.power;

/** What a hardware profile describes, and so what one of its watt figures covers. */
public enum HardwareKind {
    /** A GPU, TPU or other accelerator: watts per device. */
    ACCELERATOR,
    /** A CPU family: watts per core (or vCPU). */
    CPU,
    /** Host memory: watts per GB. */
    MEMORY,
    /** Everything else in a node (fans, disks, NICs, PSU losses): watts per node. */
    HOST
}
