package io.carbonstream.trainer.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbonstream.events.EventJson;
import io.carbonstream.support.ProblemException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads request bodies with the contract's JSON rules, naming the offending field of a malformed body. */
final class JsonBodies {

    private JsonBodies() {
    }

    static JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        try {
            return EventJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidField(EventJson.duplicatedField(e), EventJson.malformed(e));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The values of a body that holds one JSON object or an array of them; {@code array} tells which it was. */
    record Values<T>(List<T> values, boolean array) {
    }

    /**
     * Reads a body of one {@code type} object or an array of at most {@code max} of them, with the errors and their
     * order that {@link #tree} and {@link #read} give, without building a tree: a first pass over the tokens finds
     * malformed JSON and duplicated keys anywhere in the body, trailing content and too many elements; a second
     * binds each element straight from the parser (the tree and its conversion took a sixth of the event loop's
     * time for arrays of 1000 reports, docs/performance.md). Numbers bind as they do when an event is read from
     * Kafka: a decimal keeps the digits it was written with (a tree dropped trailing zeros: {@code 1000.0} is now
     * sent on as {@code 1000.0}, not {@code 1000}), and an integer field written as a decimal goes through a
     * double, so beyond 2^53 it is rounded.
     */
    static <T> Values<T> objects(byte[] body, Class<T> type, int max) {
        if (body == null || body.length == 0) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        ObjectMapper mapper = EventJson.mapper();
        boolean array;
        int count = 0;
        try (JsonParser p = mapper.createParser(body)) {
            JsonToken first = p.nextToken();
            array = first == JsonToken.START_ARRAY;
            if (array) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    readThrough(p);
                    count++;
                }
            } else if (first != null) {
                readThrough(p);
            }
            if (first != null && p.nextToken() != null) {
                var at = p.currentTokenLocation();
                throw ProblemException.invalidField(null, "malformed JSON: content after the JSON value, at line "
                        + at.getLineNr() + ", column " + at.getColumnNr() + " (one object or one array per request)");
            }
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidField(EventJson.duplicatedField(e), EventJson.malformed(e));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (array && count > max) {
            throw ProblemException.invalidField(null, count + " reports in one request; at most " + max + " are accepted");
        }
        // each element is one value among others: the first pass has checked what follows the body's value
        var reader = mapper.readerFor(type).without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        List<T> values = new ArrayList<>(array ? count : 1);
        try (JsonParser p = mapper.createParser(body)) {
            JsonToken token = p.nextToken();
            if (!array) {
                values.add(bind(reader, p, token, ""));
            } else {
                for (int i = 0; (token = p.nextToken()) != JsonToken.END_ARRAY; i++) {
                    values.add(bind(reader, p, token, "[" + i + "]."));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Values<>(values, array);
    }

    /**
     * Reads the value at the parser's token to its end as {@code readTree} would: every string decoded (so that its
     * length limit applies, which skipping would not check) and every decimal converted (its limits likewise).
     */
    private static void readThrough(JsonParser p) throws IOException {
        int depth = 0;
        JsonToken t = p.currentToken();
        while (t != null) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                default -> { }
            }
            if (depth == 0) {
                return;
            }
            t = p.nextToken();
        }
    }

    private static <T> T bind(com.fasterxml.jackson.databind.ObjectReader reader, JsonParser p, JsonToken token,
                              String fieldPrefix) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw notAnObject(fieldPrefix);
        }
        try {
            return reader.readValue(p);
        } catch (JsonProcessingException e) {
            throw refused(e, fieldPrefix);
        }
    }

    /** An element, or the body when {@code fieldPrefix} is empty, that is not a JSON object. */
    private static ProblemException notAnObject(String fieldPrefix) {
        return ProblemException.invalidField(fieldPrefix.isEmpty() ? null : fieldPrefix.substring(0, fieldPrefix.length() - 1),
                "must be a JSON object");
    }

    /** What binding an object refused: a field of it (named under {@code fieldPrefix}), or JSON it could not read. */
    private static ProblemException refused(JsonProcessingException e, String fieldPrefix) {
        if (e instanceof JsonMappingException m) {
            String path = EventJson.fieldPath(m);
            return ProblemException.invalidField(path == null ? null : fieldPrefix + path, EventJson.describe(m));
        }
        return ProblemException.invalidField(EventJson.duplicatedField(e), EventJson.malformed(e));
    }

    static <T> T read(JsonNode node, Class<T> type, String fieldPrefix) {
        if (!node.isObject()) {
            throw notAnObject(fieldPrefix);
        }
        try {
            return EventJson.mapper().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw refused(e, fieldPrefix);
        }
    }
}
