package io.carbonstream.events;

/** The phase of a machine-learning job a batch belongs to. */
public enum Phase {
    DATA_PREP,
    PRETRAIN,
    FINETUNE,
    EVAL,
    INFERENCE
}
