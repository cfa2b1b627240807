package io.carbonstream.streams;

/** Parts of state-store keys whose text order is numeric order. */
public final class SortableKeys {

    private static final String ZEROS = "00000000000000000000";

    private SortableKeys() {
    }

    /**
     * {@code n} in 20 digits, zero-padded: the same text as {@code String.format("%020d", n)}, without the
     * formatter's cost on the per-batch path.
     */
    public static String zeroPadded(long n) {
        if (n < 0) {
            return String.format("%020d", n);
        }
        String digits = Long.toString(n);
        return ZEROS.substring(digits.length()) + digits;
    }
}
