package io.carbonstream.events;

import java.math.BigDecimal;

/**
 * Energy by component, in joules, with microjoule resolution. Sums of these are exact and do not depend on
 * the order batches arrive in.
 *
 * @param accelerator accelerators during the batch
 * @param cpu         host CPUs during the batch
 * @param memory      host memory during the batch
 * @param other       node overhead (fans, disks, NICs, power supply losses) during the batch
 * @param idle        the change this batch makes to its worker's idle energy between batches; negative when a
 *                    late batch fills part of a gap that was already counted as idle; exact, not rounded
 */
public record Energy(BigDecimal accelerator, BigDecimal cpu, BigDecimal memory, BigDecimal other, BigDecimal idle) {

    /** Decimal places kept for joules: 6, one microjoule (a 1 ms CPU batch is still exact to 0.01 %). */
    public static final int SCALE = 6;

    /** Joules in one kilowatt-hour. */
    public static final BigDecimal JOULES_PER_KWH = BigDecimal.valueOf(3_600_000);

    private static final BigDecimal NONE = BigDecimal.ZERO.setScale(SCALE);

    public Energy {
        idle = idle == null ? NONE : idle;
    }

    /** Energy of a batch with no idle adjustment. */
    public Energy(BigDecimal accelerator, BigDecimal cpu, BigDecimal memory, BigDecimal other) {
        this(accelerator, cpu, memory, other, NONE);
    }

    public BigDecimal total() {
        return accelerator.add(cpu).add(memory).add(other).add(idle);
    }

    public Energy plus(Energy o) {
        return new Energy(accelerator.add(o.accelerator), cpu.add(o.cpu), memory.add(o.memory), other.add(o.other),
                idle.add(o.idle));
    }

    /** This energy with an idle adjustment, kept exact (not rounded) so that adjustments add up in any order. */
    public Energy withIdle(BigDecimal idleJoules) {
        return new Energy(accelerator, cpu, memory, other, idleJoules);
    }
}
