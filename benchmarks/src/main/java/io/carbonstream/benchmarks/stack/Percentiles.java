package io.carbonstream.benchmarks.stack;

import java.util.List;

/** Sorted samples in milliseconds. */
record Percentiles(double[] sortedMillis) {

    static Percentiles of(List<Double> millis) {
        return new Percentiles(millis.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    double at(double q) {
        return sortedMillis[(int) Math.min(sortedMillis.length - 1, Math.ceil(q * sortedMillis.length) - 1)];
    }

    double max() {
        return sortedMillis[sortedMillis.length - 1];
    }
}
