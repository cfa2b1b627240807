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
            Instant value = p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING
                    ? utc(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()) : null;
            if (value == null) {
                value = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            }
            if (value != null && !Limits.inRange(value)) {
                throw new LimitException(p, Limits.outOfRange(value));
            }
            return value;
        }

        /**
         * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f...]Z} (one to nine digits of fraction), the form every
         * carbonstream client and service writes, read without {@code DateTimeFormatter} (a sixth of
         * trainer-service's event loop in arrays of 1000 reports went to {@code java.time}'s parsing and formatting,
         * docs/performance.md); null for anything else, an impossible date or time included, which Jackson's own
         * deserializer then reads or refuses as before.
         */
        static Instant utc(char[] c, int at, int length) {
            if (length < 20 || length > 30 || length == 21 || c[at + length - 1] != 'Z' || c[at + 4] != '-'
                    || c[at + 7] != '-' || c[at + 10] != 'T' || c[at + 13] != ':' || c[at + 16] != ':') {
                return null;
            }
            int year = digits(c, at, 4);
            int month = digits(c, at + 5, 2);
            int day = digits(c, at + 8, 2);
            int hour = digits(c, at + 11, 2);
            int minute = digits(c, at + 14, 2);
            int second = digits(c, at + 17, 2);
            if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                    || second < 0 || second > 59 || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
                return null;
            }
            int nanos = 0;
            if (length > 20) {
                if (c[at + 19] != '.') {
                    return null;
                }
                int fraction = length - 21;
                int value = digits(c, at + 20, fraction);
                if (value < 0) {
                    return null;
                }
                nanos = value;
                for (int i = fraction; i < 9; i++) {
                    nanos *= 10;
                }
            }
            long days = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
        }

        /** The value of {@code n} decimal digits from {@code at}, or -1 if any is not a digit. */
        private static int digits(char[] c, int at, int n) {
            int value = 0;
            for (int i = at; i < at + n; i++) {
                char d = c[i];
                if (d < '0' || d > '9') {
                    return -1;
                }
                value = value * 10 + (d - '0');
            }
            return value;
        }
    }
}
