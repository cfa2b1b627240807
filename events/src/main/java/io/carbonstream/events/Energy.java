package io.carbonstream.events;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Energy by component, in joules, with microjoule resolution. Sums of these are exact and do not depend on
 * the order batches arrive in.
 */
public record Energy(BigDecimal accelerator, BigDecimal cpu, BigDecimal memory, BigDecimal other) {

    /** Decimal places kept for joules: 6, one microjoule (a 1 ms CPU batch is still exact to 0.01 %). */
    public static final int SCALE = 6;

    /** Joules in one kilowatt-hour. */
    public static final BigDecimal JOULES_PER_KWH = BigDecimal.valueOf(3_600_000);

    public static final Energy ZERO = new Energy(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO).scaled();

    /** Rounds a joule figure to the contract's resolution (half-even). */
    public static BigDecimal joules(double joules) {
        return BigDecimal.valueOf(joules).setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    public static Energy ofJoules(double accelerator, double cpu, double memory, double other) {
        return new Energy(joules(accelerator), joules(cpu), joules(memory), joules(other));
    }

    public BigDecimal total() {
        return accelerator.add(cpu).add(memory).add(other);
    }

    public Energy plus(Energy o) {
        return new Energy(accelerator.add(o.accelerator), cpu.add(o.cpu), memory.add(o.memory), other.add(o.other));
    }

    /** Each component multiplied by {@code factor}, rounded to the contract's resolution. */
    public Energy times(BigDecimal factor) {
        return new Energy(mul(accelerator, factor), mul(cpu, factor), mul(memory, factor), mul(other, factor));
    }

    private static BigDecimal mul(BigDecimal a, BigDecimal b) {
        return a.multiply(b).setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    private Energy scaled() {
        return new Energy(accelerator.setScale(SCALE), cpu.setScale(SCALE), memory.setScale(SCALE), other.setScale(SCALE));
    }
}
