package io.carbonstream.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;

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
        module.addSerializer(Instant.class, new UtcInstantWriter());
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

    /**
     * Writes an instant as {@link java.time.format.DateTimeFormatter#ISO_INSTANT} does ({@code yyyy-MM-ddTHH:mm:ssZ},
     * the fraction in zero, three, six or nine digits as needed), for years 0 to 9999 without the formatter: the
     * trainer writes two instants per batch event, carbon-service several per footprint, and formatting them was
     * most of the {@code java.time} share of trainer-service's event loop (docs/performance.md). Other years go to
     * Jackson's {@link InstantSerializer}, which writes exactly what it wrote before.
     */
    static final class UtcInstantWriter extends StdScalarSerializer<Instant> {
        UtcInstantWriter() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            char[] text = new char[30];
            int length = utc(value, text);
            if (length < 0) {
                InstantSerializer.INSTANCE.serialize(value, gen, provider);
            } else {
                gen.writeString(text, 0, length);
            }
        }

        /** Writes {@code t} into {@code out} (30 characters at least) and returns its length, or -1 outside years 0 to 9999. */
        static int utc(Instant t, char[] out) {
            long seconds = t.getEpochSecond();
            long days = Math.floorDiv(seconds, 86_400L);
            int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
            if (days < MIN_DAY || days > MAX_DAY) {
                return -1;
            }
            java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
            two(out, 0, date.getYear() / 100);
            two(out, 2, date.getYear() % 100);
            out[4] = '-';
            two(out, 5, date.getMonthValue());
            out[7] = '-';
            two(out, 8, date.getDayOfMonth());
            out[10] = 'T';
            two(out, 11, secondOfDay / 3_600);
            out[13] = ':';
            two(out, 14, secondOfDay / 60 % 60);
            out[16] = ':';
            two(out, 17, secondOfDay % 60);
            int at = 19;
            int nanos = t.getNano();
            if (nanos > 0) {
                int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
                int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
                out[at] = '.';
                for (int i = at + digits; i > at; i--) {
                    out[i] = (char) ('0' + value % 10);
                    value /= 10;
                }
                at += digits + 1;
            }
            out[at] = 'Z';
            return at + 1;
        }

        private static final long MIN_DAY = java.time.LocalDate.of(0, 1, 1).toEpochDay();
        private static final long MAX_DAY = java.time.LocalDate.of(9999, 12, 31).toEpochDay();

        private static void two(char[] out, int at, int value) {
            out[at] = (char) ('0' + value / 10);
            out[at + 1] = (char) ('0' + value % 10);
        }
    }
}
