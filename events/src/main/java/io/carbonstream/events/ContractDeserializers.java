package io.carbonstream.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Readers for the two JSON values whose size the text does not show: exact decimals ({@code 1e999999999} is 11
 * characters but a billion digits once printed) and instants ({@code -999999999-01-01T00:00:00Z} is a valid Java
 * instant but no database date). Both are refused while reading, with the field named, by every reader of the
 * contract: REST bodies and Kafka records alike.
 */
final class ContractDeserializers {

    private ContractDeserializers() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("carbonstream-limits");
        module.addDeserializer(BigDecimal.class, new BoundedDecimal());
        module.addDeserializer(Instant.class, new BoundedInstant());
        return module;
    }

    /** A value beyond {@link Limits}; its message is written for the client. */
    static final class LimitException extends JsonMappingException {
        LimitException(JsonParser p, String message) {
            super(p, message);
        }
    }

    static final class BoundedDecimal extends StdScalarDeserializer<BigDecimal> {
        BoundedDecimal() {
            super(BigDecimal.class);
        }

        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            BigDecimal value = NumberDeserializers.BigDecimalDeserializer.instance.deserialize(p, ctxt);
            if (value == null) {
                return null;
            }
            String problem = Limits.decimalProblem(value);
            if (problem != null) {
                throw new LimitException(p, problem);
            }
            return value;
        }
    }

    static final class BoundedInstant extends StdScalarDeserializer<Instant> {
        BoundedInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Instant value = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            if (value != null && !Limits.inRange(value)) {
                throw new LimitException(p, Limits.outOfRange(value));
            }
            return value;
        }
    }
}
