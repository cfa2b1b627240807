package io.carbonstream.e2e;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;

/**
 * Where a test's missing batches are, for its failure message: each job's footprint, the dead letters of those jobs
 * on every dead-letter topic, every consumer group's lag (committed offset against the last stable offset, and the
 * last stable offset against the high watermark, which an open transaction holds back), and the services' warnings
 * and errors. A shortfall then says whether batches were refused, are still on their way, or are stuck.
 */
final class Diagnosis {

    private static final List<String> DEAD_LETTER_TOPICS = io.carbonstream.events.Topics.ALL.stream()
            .filter(t -> t.endsWith(io.carbonstream.events.Topics.DEAD_LETTER_SUFFIX)).toList();
    /** Log lines that say nothing about a shortfall: connection churn after broker restarts, standby capacity. */
    private static final Pattern NOISE = Pattern.compile("NetworkClient|DefaultStandbyTaskAssignor|MeterRegistry|grid\\.intensity");

    private Diagnosis() {
    }

    static String of(LocalStack stack, Collection<String> jobs) {
        StringBuilder out = new StringBuilder("\n--- diagnosis ---\n");
        section(out, "footprints", () -> footprints(stack, jobs));
        section(out, "dead letters of these jobs", () -> deadLetters(stack, jobs));
        section(out, "consumer lag", () -> lag(stack));
        section(out, "service warnings and errors (last 40)", () -> logs(stack));
        return out.toString();
    }

    private interface Part {
        String get() throws Exception;
    }

    private static void section(StringBuilder out, String title, Part part) {
        out.append(title).append(":\n");
        try {
            out.append(part.get());
        } catch (Exception | AssertionError e) {
            out.append("  (not available: ").append(e).append(")\n");
        }
    }

    private static String footprints(LocalStack stack, Collection<String> jobs) {
        StringBuilder out = new StringBuilder();
        for (String job : jobs) {
            var r = given().baseUri(stack.carbon()).when().get("/footprints/" + job);
            out.append("  ").append(job).append(": ");
            if (r.statusCode() == 200) {
                FootprintEvent f = EventJson.decode(r.asByteArray(), FootprintEvent.class);
                out.append(f.batches()).append(" batches, IT ").append(f.itEnergyJoules().total()).append(" J\n");
            } else {
                out.append("HTTP ").append(r.statusCode()).append('\n');
            }
        }
        return out.toString();
    }

    private static String deadLetters(LocalStack stack, Collection<String> jobs) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        StringBuilder out = new StringBuilder();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : DEAD_LETTER_TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<String, Integer> counts = new TreeMap<>();
            Map<String, String> firstReason = new TreeMap<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String text = new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.UTF_8);
                    boolean ours = (r.key() != null && jobs.contains(r.key())) || jobs.stream().anyMatch(text::contains);
                    if (ours) {
                        counts.merge(r.topic(), 1, Integer::sum);
                        firstReason.putIfAbsent(r.topic(), text.length() > 600 ? text.substring(0, 600) + "..." : text);
                    }
                }
            }
            if (counts.isEmpty()) {
                out.append("  none\n");
            }
            counts.forEach((topic, n) -> out.append("  ").append(topic).append(": ").append(n).append(", first: ")
                    .append(firstReason.get(topic)).append('\n'));
        }
        return out.toString();
    }

    private static String lag(LocalStack stack) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                if (committed.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
                var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(10, TimeUnit.SECONDS);
                var high = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                        .get(10, TimeUnit.SECONDS);
                StringBuilder behind = new StringBuilder();
                for (var e : new TreeMap<>(committed.entrySet().stream().collect(Collectors.toMap(
                        en -> en.getKey().toString(), en -> en))).values()) {
                    TopicPartition tp = e.getKey();
                    long at = e.getValue() == null ? -1 : e.getValue().offset();
                    long lso = stable.get(tp).offset();
                    long hw = high.get(tp).offset();
                    if (at < lso || lso < hw) {
                        behind.append("    ").append(tp).append(": committed ").append(at).append(", stable ").append(lso)
                                .append(", high watermark ").append(hw).append('\n');
                    }
                }
                out.append("  ").append(group.groupId()).append(behind.isEmpty() ? ": caught up\n" : ":\n" + behind);
            }
        }
        return out.toString();
    }

    private static String logs(LocalStack stack) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String service : List.of("trainer", "telemetry", "carbon")) {
            Path log = stack.home.resolve("logs/" + service + ".log");
            if (!Files.exists(log)) {
                continue;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if ((line.contains(" WARN ") || line.contains(" ERROR ")) && !NOISE.matcher(line).find()) {
                    lines.add("  " + service + ": " + (line.length() > 400 ? line.substring(0, 400) + "..." : line));
                }
            }
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - 40), lines.size());
        return last.isEmpty() ? "  none\n" : String.join("\n", last) + "\n";
    }
}
