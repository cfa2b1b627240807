package io.carbonstream.e2e;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At-least-once delivery in any order changes nothing: the same batches published once in order, and twice each
 * in a shuffled order, straight onto {@code training.batches}, end at identical footprints, idle time included, and
 * at identical low and high ends, data quality and market-based figures (measured and modelled batches mixed).
 */
@Order(3)
class DeliveryIT {

    static final int BATCHES = 1000;

    @Test
    void everyBatchDeliveredTwiceAndShuffledGivesTheSameTotals() throws Exception {
        LocalStack stack = LocalStack.shared();
        Instant t0 = Instant.now().minus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String suffix = Long.toString(System.nanoTime(), 36);
        String inOrder = "in-order-" + suffix;
        String shuffled = "shuffled-" + suffix;
        Random random = new Random(7);
        List<long[]> shape = new ArrayList<>();
        long offsetMillis = 0;
        for (int i = 0; i < BATCHES; i++) {
            long duration = 200 + random.nextInt(2000);
            // gaps of 0 to 10 minutes: those up to 5 minutes are idle time, longer ones pauses
            long gap = random.nextInt(4) == 0 ? random.nextInt(600_000) : random.nextInt(3000);
            shape.add(new long[]{i % 2, offsetMillis, duration, random.nextInt(101)});
            offsetMillis += duration + gap;
        }
        List<BatchEvent> once = events(inOrder, t0, shape);
        List<BatchEvent> twice = new ArrayList<>(events(shuffled, t0, shape));
        twice.addAll(events(shuffled, t0, shape));
        Collections.shuffle(twice, random);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (BatchEvent e : once) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_BATCHES, e.jobId(), EventJson.encode(e)));
            }
            for (BatchEvent e : twice) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_BATCHES, e.jobId(), EventJson.encode(e)));
            }
            producer.flush();
        }
        FootprintEvent a = Await.footprint(inOrder, BATCHES);
        FootprintEvent b = Await.footprint(shuffled, BATCHES);
        Thread.sleep(2000); // anything counted twice would arrive by now
        b = Await.footprint(shuffled, BATCHES);
        assertEquals(BATCHES, a.batches());
        assertEquals(BATCHES, b.batches(), "every duplicate is dropped");
        assertTrue(a.itEnergyJoules().idle().signum() > 0, "the gaps between batches count as idle time");
        assertEquals(0, a.itEnergyJoules().idle().compareTo(b.itEnergyJoules().idle()), "idle: " + a.itEnergyJoules() + " vs " + b.itEnergyJoules());
        assertEquals(0, a.itEnergyJoules().total().compareTo(b.itEnergyJoules().total()));
        assertEquals(a.itEnergyJoules().accelerator(), b.itEnergyJoules().accelerator());
        assertEquals(0, a.facilityEnergyJoules().compareTo(b.facilityEnergyJoules()));
        assertEquals(a.operationalGCo2e(), b.operationalGCo2e());
        assertEquals(a.embodiedGCo2e(), b.embodiedGCo2e());
        assertEquals(a.tokens(), b.tokens());
        // the bounds are exact sums as well: the same in any order, and a duplicate adds nothing to them
        assertTrue(a.uncertainty() != null && a.dataQuality() != null && a.scope2() != null, "schema 2 figures: " + a);
        assertTrue(a.uncertainty().itEnergyJoules().low().compareTo(a.itEnergyJoules().total()) < 0
                && a.uncertainty().itEnergyJoules().high().compareTo(a.itEnergyJoules().total()) > 0, "a range around the figure");
        assertEquals(2, a.dataQuality().facilityEnergyJoules().size(), "measured and modelled: " + a.dataQuality());
        assertEquals(canonical(a.uncertainty()), canonical(b.uncertainty()));
        assertEquals(canonical(a.dataQuality()), canonical(b.dataQuality()));
        assertEquals(canonical(a.scope2()), canonical(b.scope2()));
    }

    /** A value as JSON with every number stripped of trailing zeros: equal figures compare equal whatever their scale. */
    static String canonical(Object value) {
        return strip(EventJson.mapper().valueToTree(value)).toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode strip(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isNumber()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(node.decimalValue().stripTrailingZeros());
        }
        if (node.isObject()) {
            var copy = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), strip(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(strip(n)));
            return copy;
        }
        return node;
    }

    /**
     * The batches of one job: two workers on one T4 each, utilisation 0..100 %; every third batch with an NVML
     * power reading, every sixth of those with a declared tolerance of its own.
     */
    static List<BatchEvent> events(String job, Instant t0, List<long[]> shape) {
        List<BatchEvent> events = new ArrayList<>();
        for (int i = 0; i < shape.size(); i++) {
            long[] s = shape.get(i);
            String worker = String.valueOf(s[0]);
            Instant start = t0.plusMillis(s[1]);
            BatchEvent.Builder b = BatchEvent.builder().schemaVersion(1).eventId(BatchEvent.deriveEventId(job, worker, Phase.PRETRAIN, i))
                    .jobId(job).tenant("delivery").workerId(worker).step((long) i).phase(Phase.PRETRAIN)
                    .startedAt(start).endedAt(start.plusMillis(s[2])).samples(8L).tokens(1024L)
                    .acceleratorType("nvidia-t4").acceleratorCount(1).utilization(s[3] / 100.0)
                    .datacenter("aws-eu-north-1");
            if (i % 3 == 0) {
                b.measuredPowerWatts(20 + s[3] * 0.5).powerSource(io.carbonstream.events.PowerSource.NVML);
                if (i % 6 == 0) {
                    b.powerTolerance(0.02);
                }
            }
            events.add(b.build());
        }
        return events;
    }
}
