package io.carbonstream.telemetry.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.carbonstream.events.EventJson;
import io.carbonstream.telemetry.power.PowerPoint;

import java.math.BigDecimal;
import java.util.List;

/** How a power curve is stored in {@code hardware_profile.curve}: a JSON array of [utilization, watts] pairs. */
final class Curves {

    private Curves() {
    }

    static List<PowerPoint> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<List<BigDecimal>> pairs = EventJson.mapper().readValue(json, new TypeReference<>() { });
            return pairs.stream().map(p -> new PowerPoint(p.get(0), p.get(1))).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable power curve " + json, e);
        }
    }

    static String format(List<PowerPoint> curve) {
        if (curve == null || curve.isEmpty()) {
            return null;
        }
        return EventJson.encodeToString(curve.stream().map(p -> List.of(p.utilization(), p.watts())).toList());
    }
}
