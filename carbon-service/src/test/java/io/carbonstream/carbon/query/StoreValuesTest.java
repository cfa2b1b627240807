package io.carbonstream.carbon.query;

import io.carbonstream.carbon.accounting.Rollups;
import io.carbonstream.carbon.accounting.Spread;
import io.carbonstream.carbon.accounting.TimelineBucket;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.InvalidEventException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreValuesTest {

    /** A decimal of any sign, scale -15..30, and unscaled value of up to 150 bits (beyond a long; within the contract's 64 digits). */
    static BigDecimal decimal(Random random) {
        int bits = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(20);
            case 2 -> random.nextInt(64);
            default -> random.nextInt(150);
        };
        BigInteger unscaled = new BigInteger(bits, random);
        return new BigDecimal(random.nextBoolean() ? unscaled.negate() : unscaled, random.nextInt(46) - 15);
    }

    static Bounds bounds(Random random) {
        return new Bounds(decimal(random), decimal(random));
    }

    static Spread spread(Random random) {
        Map<EnergyMethod, BigDecimal> byMethod = new EnumMap<>(EnergyMethod.class);
        for (EnergyMethod m : EnergyMethod.values()) {
            if (random.nextBoolean()) {
                byMethod.put(m, decimal(random));
            }
        }
        Map<IntensityBasis, BigDecimal> byBasis = new EnumMap<>(IntensityBasis.class);
        for (IntensityBasis b : IntensityBasis.values()) {
            if (random.nextBoolean()) {
                byBasis.put(b, decimal(random));
            }
        }
        TreeSet<String> instruments = new TreeSet<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            instruments.add("ppa-" + random.nextInt(1000) + (random.nextBoolean() ? " éolien ☀" : ""));
        }
        return new Spread(bounds(random), bounds(random), bounds(random), bounds(random), byMethod, byBasis,
                decimal(random), bounds(random), decimal(random), instruments);
    }

    static Rollups.Delta delta(Random random) {
        return new Rollups.Delta(random.nextBoolean(), random.nextLong(), random.nextLong(), decimal(random), decimal(random),
                decimal(random), decimal(random), random.nextInt(3), spread(random));
    }

    static TimelineBucket bucket(Random random) {
        Instant from = Instant.ofEpochSecond(random.nextLong(946_684_800L, 4_102_444_800L), random.nextInt(1_000_000_000)); // the contract's 2000..2100
        return new TimelineBucket(from, random.nextLong(), random.nextLong(), decimal(random), decimal(random), decimal(random),
                decimal(random), spread(random));
    }

    /** The binary form reads back what the JSON of earlier versions read back, value for value and scale for scale. */
    @Test
    void deltasAndBucketsReadBackAsTheirJsonReadBack() {
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            Rollups.Delta d = delta(random);
            assertEquals(EventJson.decode(EventJson.encode(d), Rollups.Delta.class), StoreValues.delta(StoreValues.delta(d)));
            TimelineBucket b = bucket(random);
            assertEquals(EventJson.decode(EventJson.encode(b), TimelineBucket.class), StoreValues.bucket(StoreValues.bucket(b)));
        }
        // a decimal with trailing zeros keeps them; one of negative scale reads as the plain integer its JSON is
        Rollups.Delta d = StoreValues.delta(StoreValues.delta(new Rollups.Delta(false, 1, 2, new BigDecimal("3960.000000"),
                new BigDecimal("1.2E+15"), BigDecimal.ZERO, new BigDecimal("-0.5"), 0)));
        assertEquals("3960.000000", d.itEnergyJoules().toString());
        assertEquals("1200000000000000", d.facilityEnergyJoules().toString());
        assertEquals("-0.5", d.embodiedIntegral().toString());
    }

    /** Stores and changelogs written by an earlier version hold JSON, which is read as before. */
    @Test
    void valuesWrittenAsJsonAreReadAsJson() {
        Random random = new Random(5);
        Rollups.Delta d = delta(random);
        assertEquals(EventJson.decode(EventJson.encode(d), Rollups.Delta.class), StoreValues.delta(EventJson.encode(d)));
        TimelineBucket b = bucket(random);
        assertEquals(EventJson.decode(EventJson.encode(b), TimelineBucket.class), StoreValues.bucket(EventJson.encode(b)));
        String old = """
                {"newJob":true,"batches":1,"tokens":0,"itEnergyJoules":"71","facilityEnergyJoules":"80.585","carbonIntegral":"1","embodiedIntegral":"0"}""";
        assertEquals(1, StoreValues.delta(old.getBytes(StandardCharsets.UTF_8)).jobsAdded());
        InvalidEventException bad = assertThrows(InvalidEventException.class,
                () -> StoreValues.bucket("{\"from\":".getBytes(StandardCharsets.UTF_8)));
        assertTrue(bad.reason().startsWith("malformed JSON"), bad.reason());
    }

    /** A value cut anywhere, with bytes after its end, of an unknown format or naming an unknown class is refused. */
    @Test
    void aDamagedBinaryValueIsRefusedWithItsReason() {
        Random random = new Random(9);
        for (int i = 0; i < 50; i++) {
            byte[] delta = StoreValues.delta(delta(random));
            byte[] bucket = StoreValues.bucket(bucket(random));
            for (int cut = 0; cut < delta.length; cut++) {
                byte[] part = Arrays.copyOf(delta, cut);
                assertThrows(InvalidEventException.class, () -> StoreValues.delta(part), "a delta cut at " + cut);
            }
            for (int cut = 0; cut < bucket.length; cut++) {
                byte[] part = Arrays.copyOf(bucket, cut);
                assertThrows(InvalidEventException.class, () -> StoreValues.bucket(part), "a bucket cut at " + cut);
            }
            byte[] longer = Arrays.copyOf(delta, delta.length + 1);
            InvalidEventException after = assertThrows(InvalidEventException.class, () -> StoreValues.delta(longer));
            assertEquals("a binary store value has 1 bytes after its end, at byte " + delta.length, after.reason());
        }
        InvalidEventException unknown = assertThrows(InvalidEventException.class, () -> StoreValues.delta(new byte[]{7, 0}));
        assertEquals("a store value of unknown format 7", unknown.reason());
        assertEquals("empty store value", assertThrows(InvalidEventException.class,
                () -> StoreValues.bucket(new byte[0])).reason());
        // a damaged scale, an instant beyond java.time's range, a varint beyond 64 bits: refused, never another exception
        byte[] bucket = StoreValues.bucket(new TimelineBucket(Instant.parse("2026-12-01T10:00:00Z"), 1, 1, BigDecimal.ONE,
                BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE));
        // the bucket's seconds are its first field (zigzag varint of 1,764,583,200 s, five bytes); made 2^62 s, in ten
        byte[] far = new byte[bucket.length + 5];
        far[0] = bucket[0];
        byte[] huge = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        System.arraycopy(huge, 0, far, 1, 10);
        System.arraycopy(bucket, 6, far, 11, bucket.length - 6);
        InvalidEventException farOff = assertThrows(InvalidEventException.class, () -> StoreValues.bucket(far));
        assertTrue(farOff.reason().startsWith("a binary store value has an instant of "), farOff.reason());
        byte[] beyond = far.clone();
        beyond[10] = 0x02;
        assertEquals("a binary store value has a varint beyond 64 bits, at byte 10",
                assertThrows(InvalidEventException.class, () -> StoreValues.bucket(beyond)).reason());
        byte[] delta = StoreValues.delta(new Rollups.Delta(false, 1, 1, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                BigDecimal.ONE, 0));
        // the first decimal (itEnergyJoules) starts at byte 4: format, newJob, batches, tokens; give it scale 1,000,000
        byte[] scaled = new byte[delta.length + 2];
        System.arraycopy(delta, 0, scaled, 0, 4);
        scaled[4] = (byte) 0x80;
        scaled[5] = (byte) 0x89;
        scaled[6] = 0x7A;  // 2,000,000 = 1,000,000 << 1, as a three-byte varint
        System.arraycopy(delta, 5, scaled, 7, delta.length - 5);
        assertEquals("a binary store value has a decimal that has too many decimal places: at most "
                        + io.carbonstream.events.Limits.MAX_DECIMAL_SCALE + " are accepted",
                assertThrows(InvalidEventException.class, () -> StoreValues.delta(scaled)).reason());
        // a class of energy method this version does not know (written by a later one)
        Map<EnergyMethod, BigDecimal> byMethod = new EnumMap<>(EnergyMethod.class);
        byMethod.put(EnergyMethod.MEASURED, BigDecimal.ONE);
        Spread s = new Spread(Bounds.exactly(BigDecimal.ONE), Bounds.exactly(BigDecimal.ONE), Bounds.exactly(BigDecimal.ONE),
                Bounds.exactly(BigDecimal.ONE), byMethod, Map.of(), BigDecimal.ONE, Bounds.exactly(BigDecimal.ONE), BigDecimal.ONE, null);
        byte[] bytes = StoreValues.delta(new Rollups.Delta(true, 1, 1, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                BigDecimal.ONE, 1, s));
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("MEASURED", "MEASURES");
        InvalidEventException later = assertThrows(InvalidEventException.class,
                () -> StoreValues.delta(text.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("a binary store value names EnergyMethod 'MEASURES', which this version does not know", later.reason());
    }

    /** What the binary form is for: a delta of a typical batch in a quarter of its JSON or less. */
    @Test
    void aTypicalDeltaTakesAQuarterOfItsJsonOrLess() {
        Map<EnergyMethod, BigDecimal> byMethod = Map.of(EnergyMethod.MODELED, new BigDecimal("4171.20000000"));
        Map<IntensityBasis, BigDecimal> byBasis = Map.of(IntensityBasis.STATIC, new BigDecimal("2565288.00000000"));
        Spread s = new Spread(new Bounds(new BigDecimal("1584.000000"), new BigDecimal("3200.000000")),
                new Bounds(new BigDecimal("2502.72000000"), new BigDecimal("5056.00000000")),
                new Bounds(new BigDecimal("1539172.80000000"), new BigDecimal("3109440.00000000")),
                Bounds.exactly(new BigDecimal("1200000.000000000")), byMethod, byBasis, new BigDecimal("2565288.00000000"),
                new Bounds(new BigDecimal("1539172.80000000"), new BigDecimal("3109440.00000000")),
                new BigDecimal("2565288.00000000"), null);
        Rollups.Delta d = new Rollups.Delta(false, 1, 65536, new BigDecimal("2640.000000"), new BigDecimal("4171.20000000"),
                new BigDecimal("2565288.00000000"), new BigDecimal("1200000.000000000"), 0, s);
        int binary = StoreValues.delta(d).length;
        int json = EventJson.encode(d).length;
        assertTrue(4 * binary <= json, binary + " bytes binary, " + json + " as JSON");
    }
}
