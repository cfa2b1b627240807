package io.carbonstream.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbonstream.events.EventJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** REST bodies follow the same JSON rules as the events on Kafka. */
@Singleton
public class ContractObjectMapper implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        EventJson.configure(mapper);
    }
}
