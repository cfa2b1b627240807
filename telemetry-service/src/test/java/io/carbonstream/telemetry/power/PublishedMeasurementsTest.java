package io.carbonstream.telemetry.power;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeded power models against measurements published by Patterson et al. 2021 ("Carbon Emissions and Large
 * Neural Network Training", Table 4: average measured power per accelerator during training, host share
 * included), kept as test data in {@code measurements/patterson-2021-table4.csv}. A training run keeps its
 * accelerators near full load, so the catalog's full-load power should be close to these averages.
 */
class PublishedMeasurementsTest {

    /** Table 4's accelerator names and the catalog profiles that model them. */
    static final Map<String, String> PROFILES = Map.of("TPUv2", "google-tpu-v2", "TPUv3", "google-tpu-v3",
            "V100", "nvidia-v100-sxm2-32gb");

    /** Largest relative difference accepted: Table 4 includes a host share the accelerator model leaves out. */
    static final double TOLERANCE = 0.16;

    @Test
    void fullLoadPowerOfTheSeedCatalogIsWithin16PercentOfPublishedTrainingAverages() throws Exception {
        Map<String, BigDecimal> maxWatts = seededMaxWatts();
        int checked = 0;
        try (var in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/measurements/patterson-2021-table4.csv"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#") || line.startsWith("model,")) {
                    continue;
                }
                String[] f = line.split(",");
                double measured = Double.parseDouble(f[4]);
                double model = maxWatts.get(PROFILES.get(f[1])).doubleValue();
                double difference = (model - measured) / measured;
                assertTrue(Math.abs(difference) <= TOLERANCE, f[0] + " on " + f[1] + ": measured " + measured
                        + " W, modelled " + model + " W (" + Math.round(difference * 100) + " %)");
                checked++;
            }
        }
        assertEquals(6, checked, "every row of Table 4 was checked");
    }

    /** Max watts of each profile in the seed migration, read from the SQL the service runs. */
    static Map<String, BigDecimal> seededMaxWatts() throws Exception {
        String sql = Files.readString(Path.of("src/main/resources/db/migration/V2__seed_catalog.sql"));
        Matcher m = Pattern.compile("\\('([a-z0-9.-]+)', 1, '[A-Z]+', '[^']*', ([0-9.]+), ([0-9.]+),").matcher(sql);
        Map<String, BigDecimal> max = new HashMap<>();
        while (m.find()) {
            max.put(m.group(1), new BigDecimal(m.group(3)));
        }
        assertTrue(max.keySet().containsAll(List.copyOf(PROFILES.values())), "seeded: " + max.keySet());
        return max;
    }
}
