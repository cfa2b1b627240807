package io.carbonstream.carbon.grid;

import java.math.BigDecimal;

/** A data centre: the grid zone it draws from and its power usage effectiveness. */
public record Datacenter(String id, String zone, BigDecimal pue, String source) {

    public Datacenter {
        if (pue.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException("PUE must be >= 1, was " + pue + " for " + id);
        }
    }
}
