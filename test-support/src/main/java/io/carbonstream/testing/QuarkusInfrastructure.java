package io.carbonstream.testing;

import io.carbonstream.local.Infrastructure;
import io.carbonstream.local.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a Quarkus test at the real Kafka broker and PostgreSQL server of {@link TestInfrastructure}. Init arg
 * {@code database}: the service's database (none for a service without one).
 */
public class QuarkusInfrastructure implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        Infrastructure infra = TestInfrastructure.shared();
        Map<String, String> config = new HashMap<>();
        String kafka = infra.kafka().bootstrapServers();
        config.put("kafka.bootstrap.servers", kafka);
        config.put("quarkus.kafka-streams.bootstrap-servers", kafka);
        config.put("kafka-streams.state.dir", TestInfrastructure.STREAMS_STATE_DIR.toString());
        TestTokens.keys();
        config.put("mp.jwt.verify.publickey.location", TestTokens.DIR.resolve(Tokens.PUBLIC_KEY).toUri().toString());
        if (database != null) {
            config.put("quarkus.datasource.reactive.url", infra.postgres().reactiveUrl(database));
            config.put("quarkus.datasource.jdbc.url", infra.postgres().jdbcUrl(database));
        }
        return config;
    }

    @Override
    public void stop() {
        // The servers outlive a single Quarkus application: TestInfrastructure stops them when the JVM exits.
    }
}
