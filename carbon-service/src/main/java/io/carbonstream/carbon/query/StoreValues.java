package io.carbonstream.carbon.query;

import io.carbonstream.carbon.accounting.Rollups;
import io.carbonstream.carbon.accounting.Spread;
import io.carbonstream.carbon.accounting.TimelineBucket;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.InvalidEventException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The values of the two stores that only carbon-service itself reads, written per batch and never published as
 * they are: the pending roll-up deltas ({@link StoreNames#PENDING_ROLLUPS_STORE}) and the timeline's minute buckets
 * ({@link StoreNames#TIMELINE_STORE}). They are kept in a compact binary form, not JSON: encoding four deltas and a
 * bucket as JSON was a seventh of carbon-service's CPU per batch (docs/performance.md). Every decimal keeps its
 * unscaled value and scale, so sums read back are the sums written, exactly.
 *
 * <p>A value starts with {@link #FORMAT}; a value starting with {@code {} is JSON, as every version before this one
 * wrote, and is read as such, so that stores and changelogs written by an earlier version are read unchanged (an
 * earlier version cannot read a binary value: going back to one needs fresh stores). A binary value is read to its
 * last byte exactly: a value cut short, or with bytes after its end, is refused as {@link InvalidEventException}.
 *
 * <p>Layout (integers as unsigned LEB128 varints, signed ones zigzag-encoded first; text as a varint length and
 * UTF-8): a decimal is {@code scale << 1 | wide}, then the unscaled value, as a zigzag varint when it fits in
 * a long ({@code wide} 0) or as a length and its two's complement bytes ({@code wide} 1); a negative scale is
 * written as scale 0, as the JSON round trip of the plain form gave. Bounds are low, high. A spread is its four
 * bounds, the facility joules per energy method and the carbon integral per intensity basis (a count, then name and
 * decimal pairs), the market-based integral, its bounds, the location-based fallback integral and the instruments (a
 * count, then each name).
 */
public final class StoreValues {

    /** The first byte of a binary value, version 1. */
    static final byte FORMAT = 1;

    /**
     * About how many times its binary bytes a decoded delta or bucket takes on the heap: a decimal of 2-9 bytes
     * here is a {@code BigDecimal} of 40 or more there, each pair of bounds an object of its own, and the maps' nodes
     * (a delta of one job in one data centre: about 150 bytes written, about 1,300 on the heap).
     */
    public static final int EXPANSION = 10;

    private StoreValues() {
    }

    public static byte[] delta(Rollups.Delta d) {
        Writer w = new Writer(160);
        w.bytes[w.at++] = FORMAT;
        w.bool(d.newJob());
        w.signed(d.batches());
        w.signed(d.tokens());
        w.decimal(d.itEnergyJoules());
        w.decimal(d.facilityEnergyJoules());
        w.decimal(d.carbonIntegral());
        w.decimal(d.embodiedIntegral());
        w.signed(d.newJobs());
        w.spread(d.spread());
        return w.done();
    }

    public static Rollups.Delta delta(byte[] bytes) {
        if (isJson(bytes)) {
            return EventJson.decode(bytes, Rollups.Delta.class);
        }
        Reader r = new Reader(bytes);
        Rollups.Delta d = new Rollups.Delta(r.bool(), r.signed(), r.signed(), r.decimal(), r.decimal(), r.decimal(),
                r.decimal(), r.signed(), r.spread());
        r.end();
        return d;
    }

    public static byte[] bucket(TimelineBucket b) {
        Writer w = new Writer(160);
        w.bytes[w.at++] = FORMAT;
        w.signed(b.from().getEpochSecond());
        w.signed(b.from().getNano());
        w.signed(b.batches());
        w.signed(b.tokens());
        w.decimal(b.itEnergyJoules());
        w.decimal(b.facilityEnergyJoules());
        w.decimal(b.carbonIntegral());
        w.decimal(b.embodiedIntegral());
        w.spread(b.spread());
        return w.done();
    }

    public static TimelineBucket bucket(byte[] bytes) {
        if (isJson(bytes)) {
            return EventJson.decode(bytes, TimelineBucket.class);
        }
        Reader r = new Reader(bytes);
        Instant from = r.instant();
        TimelineBucket b = new TimelineBucket(from, r.signed(), r.signed(), r.decimal(), r.decimal(), r.decimal(),
                r.decimal(), r.spread());
        r.end();
        return b;
    }

    private static boolean isJson(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException(null, "empty store value");
        }
        if (bytes[0] == '{') {
            return true;
        }
        if (bytes[0] != FORMAT) {
            throw new InvalidEventException(null, "a store value of unknown format " + (bytes[0] & 0xff));
        }
        return false;
    }

    private static final class Writer {
        private byte[] bytes;
        private int at;

        Writer(int size) {
            bytes = new byte[size];
        }

        private void room(int n) {
            if (at + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + n));
            }
        }

        void bool(boolean b) {
            room(1);
            bytes[at++] = (byte) (b ? 1 : 0);
        }

        void unsigned(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                bytes[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[at++] = (byte) v;
        }

        void signed(long v) {
            unsigned((v << 1) ^ (v >> 63));
        }

        void decimal(BigDecimal d) {
            int scale = d.scale();
            if (scale < 0) {
                d = d.setScale(0);
                scale = 0;
            }
            BigInteger unscaled = d.unscaledValue();
            if (unscaled.bitLength() < 64) {
                unsigned((long) scale << 1);
                signed(unscaled.longValue());
            } else {
                unsigned(((long) scale << 1) | 1);
                byte[] two = unscaled.toByteArray();
                unsigned(two.length);
                room(two.length);
                System.arraycopy(two, 0, bytes, at, two.length);
                at += two.length;
            }
        }

        void bounds(Bounds b) {
            decimal(b.low());
            decimal(b.high());
        }

        void text(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            unsigned(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, at, utf8.length);
            at += utf8.length;
        }

        <K extends Enum<K>> void sums(Map<K, BigDecimal> sums) {
            unsigned(sums.size());
            sums.forEach((k, v) -> {
                text(k.name());
                decimal(v);
            });
        }

        void spread(Spread s) {
            bounds(s.itEnergyJoules());
            bounds(s.facilityEnergyJoules());
            bounds(s.carbonIntegral());
            bounds(s.embodiedIntegral());
            sums(s.facilityByMethod());
            sums(s.integralByBasis());
            decimal(s.marketIntegral());
            bounds(s.marketIntegralBounds());
            decimal(s.fallbackIntegral());
            unsigned(s.instruments().size());
            s.instruments().forEach(this::text);
        }

        byte[] done() {
            return Arrays.copyOf(bytes, at);
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at = 1;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        private byte next() {
            if (at >= bytes.length) {
                throw new InvalidEventException(null, "a binary store value ends early, at byte " + at);
            }
            return bytes[at++];
        }

        boolean bool() {
            byte b = next();
            if (b != 0 && b != 1) {
                throw new InvalidEventException(null, "a binary store value has " + b + " where a boolean belongs, at byte " + (at - 1));
            }
            return b == 1;
        }

        long unsigned() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = next();
                if (shift == 63 && (b & 0xFE) != 0) {
                    throw new InvalidEventException(null, "a binary store value has a varint beyond 64 bits, at byte " + (at - 1));
                }
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new InvalidEventException(null, "a binary store value has a varint over 10 bytes, at byte " + at);
        }

        long signed() {
            long v = unsigned();
            return (v >>> 1) ^ -(v & 1);
        }

        int count() {
            long n = unsigned();
            if (n < 0 || n > bytes.length - at) {
                throw new InvalidEventException(null, "a binary store value counts " + n + " items with "
                        + (bytes.length - at) + " bytes left, at byte " + at);
            }
            return (int) n;
        }

        BigDecimal decimal() {
            long head = unsigned();
            if (head < 0 || head >> 1 > Integer.MAX_VALUE) {
                throw new InvalidEventException(null, "a binary store value has a decimal of impossible scale, at byte " + at);
            }
            int scale = (int) (head >> 1);
            BigDecimal value;
            if ((head & 1) == 0) {
                value = BigDecimal.valueOf(signed(), scale);
            } else {
                int n = count();
                if (n == 0) {
                    throw new InvalidEventException(null, "a binary store value has a decimal without digits, at byte " + at);
                }
                value = new BigDecimal(new BigInteger(bytes, at, n), scale);
                at += n;
            }
            // the contract's bounds, as the JSON reader applies them: a damaged scale must not reach the arithmetic
            String problem = io.carbonstream.events.Limits.decimalProblem(value);
            if (problem != null) {
                throw new InvalidEventException(null, "a binary store value has a decimal that " + problem);
            }
            return value;
        }

        Bounds bounds() {
            return new Bounds(decimal(), decimal());
        }

        String text() {
            int n = count();
            String s = new String(bytes, at, n, StandardCharsets.UTF_8);
            at += n;
            return s;
        }

        Instant instant() {
            long seconds = signed();
            long nanos = signed();
            if (nanos < 0 || nanos > 999_999_999) {
                throw new InvalidEventException(null, "a binary store value has an instant of " + nanos + " nanoseconds");
            }
            try {
                return Instant.ofEpochSecond(seconds, nanos);
            } catch (java.time.DateTimeException e) {
                throw new InvalidEventException(null, "a binary store value has an instant of " + seconds + " seconds");
            }
        }

        <K extends Enum<K>> Map<K, BigDecimal> sums(Class<K> type) {
            int n = count();
            Map<K, BigDecimal> sums = new EnumMap<>(type);
            for (int i = 0; i < n; i++) {
                String name = text();
                K key;
                try {
                    key = Enum.valueOf(type, name);
                } catch (IllegalArgumentException e) {
                    throw new InvalidEventException(null, "a binary store value names " + type.getSimpleName() + " '"
                            + EventJson.truncate(name, 64) + "', which this version does not know");
                }
                sums.put(key, decimal());
            }
            return sums;
        }

        Spread spread() {
            Bounds it = bounds();
            Bounds facility = bounds();
            Bounds integral = bounds();
            Bounds embodied = bounds();
            Map<EnergyMethod, BigDecimal> byMethod = sums(EnergyMethod.class);
            Map<IntensityBasis, BigDecimal> byBasis = sums(IntensityBasis.class);
            BigDecimal market = decimal();
            Bounds marketBounds = bounds();
            BigDecimal fallback = decimal();
            int n = count();
            SortedSet<String> instruments = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                instruments.add(text());
            }
            return new Spread(it, facility, integral, embodied, byMethod, byBasis, market, marketBounds, fallback, instruments);
        }

        void end() {
            if (at != bytes.length) {
                throw new InvalidEventException(null, "a binary store value has " + (bytes.length - at)
                        + " bytes after its end, at byte " + at);
            }
        }
    }
}
