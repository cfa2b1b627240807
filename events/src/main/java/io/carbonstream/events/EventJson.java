package io.carbonstream.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The JSON mapping of every event: ISO-8601 instants, exact decimals written plainly, absent optional fields
 * left out, unknown fields ignored (so older readers accept newer events of the same schema version).
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private EventJson() {
    }

    /** Applies the contract's settings to a mapper (the services configure their REST mapper with this too). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Limits.MAX_JSON_STRING_LENGTH).build());
        return mapper.registerModule(new JavaTimeModule())
                .registerModule(ContractDeserializers.module())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // one JSON value per body and per record: {"a":1} followed by anything else is malformed
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String encodeToString(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an event.
     *
     * @throws InvalidEventException naming the offending field when the JSON is malformed, is JSON {@code null}, has a
     *                               duplicated key or a field of the wrong type or beyond {@link Limits}
     */
    public static <T> T decode(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException(null, "empty record");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidEventException(null, "the record is JSON null, not an event");
            }
            return value;
        } catch (JsonMappingException e) {
            throw new InvalidEventException(fieldPath(e), describe(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidEventException(duplicatedField(e), malformed(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dotted path of the field a mapping error is about, such as {@code startedAt} or {@code reports[2].step}. */
    public static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /**
     * A one-line description of a mapping error for the client: without Jackson's source excerpt, and naming JSON
     * types (a number, an ISO-8601 instant), never Java ones.
     */
    public static String describe(JsonMappingException e) {
        if (e instanceof ContractDeserializers.LimitException) {
            return withoutJavaNames(e.getOriginalMessage());
        }
        if (e instanceof InvalidFormatException f) {
            String expected = f.getTargetType() == null ? "another type" : simpleTypeName(f.getTargetType());
            return "cannot read " + quote(f.getValue()) + " as " + expected;
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + simpleTypeName(m.getTargetType());
        }
        return withoutJavaNames(firstLine(e.getOriginalMessage()));
    }

    /** The description of JSON that cannot be parsed at all (a syntax error, a duplicated key, a number too long). */
    public static String malformed(com.fasterxml.jackson.core.JsonProcessingException e) {
        String field = duplicatedField(e);
        if (field != null) {
            return "the key \"" + field + "\" appears more than once";
        }
        return "malformed JSON: " + withoutJavaNames(firstLine(e.getOriginalMessage()));
    }

    /** The key a parser refused because it appeared twice in one object, or null for any other error. */
    public static String duplicatedField(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = e.getOriginalMessage();
        String prefix = "Duplicate field '";
        if (message != null && message.startsWith(prefix) && message.indexOf('\'', prefix.length()) > 0) {
            return truncate(message.substring(prefix.length(), message.indexOf('\'', prefix.length())), Limits.MAX_ID_LENGTH);
        }
        return null;
    }

    private static final java.util.regex.Pattern JAVA_NAME =
            java.util.regex.Pattern.compile("`?\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)`?");

    /** The parser's location of a token, which names a parser feature: {@code [Source: REDACTED (...); line: 1, column: 9]}. */
    private static final java.util.regex.Pattern SOURCE_LOCATION =
            java.util.regex.Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)]");

    /**
     * A message as a client may read it: qualified Java class names ({@code `java.time.Instant`}) reduced to their
     * simple names, and the parser's source locations to {@code line L, column C}.
     */
    public static String withoutJavaNames(String message) {
        if (message == null) {
            return null;
        }
        String located = SOURCE_LOCATION.matcher(message).replaceAll("line $1, column $2");
        return truncate(JAVA_NAME.matcher(located).replaceAll(r -> java.util.regex.Matcher.quoteReplacement(
                simpleName(r.group(1)))), 500);
    }

    private static String simpleName(String className) {
        return switch (className) {
            case "Instant" -> "ISO-8601 instant";
            case "BigDecimal", "Double", "Float" -> "number";
            case "Long", "Integer", "Short" -> "integer";
            default -> className.contains("$") ? className.substring(className.lastIndexOf('$') + 1) : className;
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int cut = message.indexOf('\n');
        return cut < 0 ? message : message.substring(0, cut);
    }

    /** At most {@code max} characters of a text, marked when cut. */
    public static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " characters)";
    }

    private static String simpleTypeName(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        return switch (type.getSimpleName()) {
            case "Instant" -> "an ISO-8601 instant such as 2026-01-01T00:00:00Z";
            case "UUID" -> "a UUID";
            case "Long", "long", "Integer", "int" -> "an integer";
            case "Double", "double", "BigDecimal" -> "a number";
            case "String" -> "a string";
            case "Boolean", "boolean" -> "true or false";
            default -> java.util.Collection.class.isAssignableFrom(type) || type.isArray() ? "a JSON array"
                    : "a JSON object";
        };
    }

    private static String quote(Object value) {
        String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return truncate(text, 100);
    }
}
