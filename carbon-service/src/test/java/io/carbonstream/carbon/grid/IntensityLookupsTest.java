package io.carbonstream.carbon.grid;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.GridIntensityEvent;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Remembered look-ups give exactly the answers of a range scan, whatever the observations and their changes. */
class IntensityLookupsTest {

    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    /** The timeline store's contract, on a sorted map. */
    static final class SortedStore implements ReadOnlyKeyValueStore<String, byte[]> {
        final TreeMap<String, byte[]> data = new TreeMap<>();

        void put(GridIntensityEvent g) {
            data.put(IntensityTimeline.key(g.zone(), g.validFrom()), EventJson.encode(g));
            IntensityTimeline.VERSION.incrementAndGet();
        }

        @Override
        public byte[] get(String key) {
            return data.get(key);
        }

        @Override
        public KeyValueIterator<String, byte[]> range(String from, String to) {
            return iterator(data.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, byte[]> reverseRange(String from, String to) {
            return iterator(data.subMap(from, true, to, true).descendingMap());
        }

        @Override
        public KeyValueIterator<String, byte[]> all() {
            return iterator(data);
        }

        @Override
        public long approximateNumEntries() {
            return data.size();
        }

        private static KeyValueIterator<String, byte[]> iterator(NavigableMap<String, byte[]> m) {
            Iterator<Map.Entry<String, byte[]>> it = new java.util.ArrayList<>(m.entrySet()).iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, byte[]> next() {
                    var e = it.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    static GridIntensityEvent observation(String zone, Instant from, Instant to, String g) {
        return new GridIntensityEvent(GridIntensityEvent.SCHEMA_VERSION, zone, from, to, new BigDecimal(g),
                GridIntensityEvent.Signal.AVERAGE, GridIntensityEvent.Source.MANUAL, false, false);
    }

    @Test
    void rememberedAnswersEqualARangeScanForEveryTimeAndEveryChange() {
        Random random = new Random(20261201L);
        SortedStore store = new SortedStore();
        IntensityLookups lookups = new IntensityLookups(store);
        int compared = 0;
        for (int round = 0; round < 60; round++) {
            // a change now and then: a new, replaced or open-ended observation, in one of two zones
            String zone = random.nextBoolean() ? "DE" : "DE-X";
            Instant from = T0.plusMillis(random.nextInt(6 * 3600) * 1000L + random.nextInt(3) * 700L);
            Instant to = random.nextInt(5) == 0 ? null : from.plus(Duration.ofMinutes(1 + random.nextInt(90)));
            store.put(observation(zone, from.plusNanos(random.nextInt(3) * 250_000L), to, String.valueOf(100 + round)));
            // batches at times around and between the observations, sub-millisecond ones too
            for (int q = 0; q < 200; q++) {
                String z = random.nextBoolean() ? "DE" : "DE-X";
                Instant at = T0.plusMillis(random.nextInt(7 * 3600 * 1000)).plusNanos(random.nextInt(1_000_000));
                if (q % 7 == 0) {
                    at = from.plusNanos(random.nextInt(3) * 250_000L - 250_000L);   // at an observation's edge
                }
                assertEquals(IntensityTimeline.find(store, z, at), lookups.find(z, at), z + " at " + at);
                // the same time twice in a row: answered from memory
                assertEquals(IntensityTimeline.find(store, z, at), lookups.find(z, at), z + " at " + at);
                compared += 2;
            }
        }
        assertEquals(24_000, compared);
    }

    @Test
    void aChangeToTheStoreIsSeenAtOnce() {
        SortedStore store = new SortedStore();
        IntensityLookups lookups = new IntensityLookups(store);
        Instant at = T0.plusSeconds(1800);
        assertEquals(java.util.Optional.empty(), lookups.find("DE", at));   // nothing yet: the static table applies
        store.put(observation("DE", T0, T0.plusSeconds(3600), "321"));
        assertEquals(new BigDecimal("321"), lookups.find("DE", at).orElseThrow().gCo2ePerKWh());
        store.put(observation("DE", T0, T0.plusSeconds(3600), "123"));        // a correction of the same hour
        assertEquals(new BigDecimal("123"), lookups.find("DE", at).orElseThrow().gCo2ePerKWh());
    }
}
