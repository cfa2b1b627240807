package io.carbonstream.streams;

import io.carbonstream.events.Topics;
import io.carbonstream.testing.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static io.carbonstream.streams.LastLineOnABrokerTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A graceful stop removes a static member from its group on a real broker; a plain close leaves it there. */
class LeaveGroupOnStopTest {

    @Test
    void aStaticMemberLeavesItsGroupOnAGracefulStopWhereAPlainCloseKeepsIt() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            String plain = "plain-close-" + UUID.randomUUID();
            KafkaStreams kept = running(kafka, plain);
            assertEquals(List.of(Optional.of("instance-0-1")), instanceIds(admin, plain), "a static member joined");
            kept.close(Duration.ofSeconds(30));
            // the member stays until its session (45 s) expires: nobody else may take its partitions meanwhile
            assertEquals(List.of(Optional.of("instance-0-1")), instanceIds(admin, plain), "a plain close keeps the member");

            String leaving = "leave-on-stop-" + UUID.randomUUID();
            KafkaStreams left = running(kafka, leaving);
            assertEquals(List.of(Optional.of("instance-0-1")), instanceIds(admin, leaving));
            assertTrue(LeaveGroupOnStop.leave(left, Duration.ofSeconds(30)), "closed within the timeout");
            assertEquals(List.of(), instanceIds(admin, leaving), "the static member left the group at once");
            assertEquals(KafkaStreams.State.NOT_RUNNING, left.state());
            left.close(Duration.ofSeconds(5)); // Quarkus' own close after it is a no-op
        }
    }

    private static KafkaStreams running(String kafka, String applicationId) throws InterruptedException {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), Topics.TRAINING_BATCHES);
        topology.addProcessor("nothing", () -> new Processor<String, String, Void, Void>() {
            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, String> record) {
            }
        }, "in");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(StreamsConfig.STATE_DIR_CONFIG, "target/" + applicationId);
        p.put("group.instance.id", "instance-0");
        KafkaStreams streams = new KafkaStreams(topology, p);
        streams.start();
        await(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /** The group instance ids of the group's members, as the broker sees them. */
    private static List<Optional<String>> instanceIds(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        return d.members().stream().map(MemberDescription::groupInstanceId).toList();
    }
}
