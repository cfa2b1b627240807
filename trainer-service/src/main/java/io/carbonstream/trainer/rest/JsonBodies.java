package io.carbonstream.trainer.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbonstream.events.EventJson;
import io.carbonstream.support.ProblemException;

import java.io.IOException;

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

    static <T> T read(JsonNode node, Class<T> type, String fieldPrefix) {
        ObjectMapper mapper = EventJson.mapper();
        if (!node.isObject()) {
            throw ProblemException.invalidField(fieldPrefix.isEmpty() ? null : fieldPrefix.substring(0, fieldPrefix.length() - 1),
                    "must be a JSON object");
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String path = EventJson.fieldPath(e);
            throw ProblemException.invalidField(path == null ? null : fieldPrefix + path, EventJson.describe(e));
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidField(EventJson.duplicatedField(e), EventJson.malformed(e));
        }
    }
}
