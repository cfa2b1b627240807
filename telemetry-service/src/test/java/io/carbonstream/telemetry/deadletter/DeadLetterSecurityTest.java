package io.carbonstream.telemetry.deadletter;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeadLetterSecurityTest {

    @Test
    void theDeadLetterClientsTakeTheStreamsSecuritySettingsAndNothingElse() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka-streams.security.protocol", "SASL_SSL");
        config.put("kafka.security.protocol", "SSL");
        config.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        config.put("kafka-streams.ssl.truststore.location", "/etc/kafka/ca.p12");
        config.put("kafka-streams.commit.interval.ms", "100");
        config.put("kafka.bootstrap.servers", "broker:9092");
        config.put("quarkus.http.port", "8082");
        // like SmallRye's property names, an Iterable that can be iterated once only
        boolean[] used = {false};
        Iterable<String> once = () -> {
            if (used[0]) {
                throw new java.util.NoSuchElementException("iterated twice");
            }
            used[0] = true;
            return config.keySet().iterator();
        };
        Map<String, Object> security = DeadLetters.securityOf(once, config::get);
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/ca.p12"), security);
    }
}
