package io.carbonstream.telemetry.power;

import java.math.BigDecimal;

/** Power at one utilisation: a point of a power curve, or a measured sample. */
public record PowerPoint(BigDecimal utilization, BigDecimal watts) {
}
