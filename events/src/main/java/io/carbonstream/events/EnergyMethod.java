package io.carbonstream.events;

/** How a batch's energy was obtained. */
public enum EnergyMethod {
    /** From a power reading the trainer sent with the batch. */
    MEASURED,
    /** From the hardware power model of the catalog. */
    MODELED,
    /** From an average power declared for a replayed or planned run (powerSource DECLARED). */
    DECLARED
}
