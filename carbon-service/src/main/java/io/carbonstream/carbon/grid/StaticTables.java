package io.carbonstream.carbon.grid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cited tables bundled with carbon-service: data centres (zone, PUE), annual-average intensity per zone
 * (the fallback when no observation on {@code grid.intensity} covers a batch's time) and the manufacturing
 * footprint of accelerators.
 */
public final class StaticTables {

    /** Life over which manufacturing emissions are amortised: 4 years (35,040 h), CCF's server lifespan. */
    public static final long LIFETIME_SECONDS = 35_040L * 3600;

    private final Map<String, Datacenter> datacenters;
    private final Map<String, BigDecimal> intensity;
    private final Map<String, BigDecimal> embodiedKg;

    public StaticTables(List<Datacenter> datacenters, Map<String, BigDecimal> intensity, Map<String, BigDecimal> embodiedKg) {
        this.embodiedKg = Map.copyOf(embodiedKg);
        if (!embodiedKg.containsKey("*")) {
            throw new IllegalArgumentException("the embodied table needs a default row '*'");
        }
        this.datacenters = datacenters.stream().collect(Collectors.toUnmodifiableMap(Datacenter::id, Function.identity()));
        this.intensity = Map.copyOf(intensity);
        for (Datacenter dc : datacenters) {
            if (!intensity.containsKey(dc.zone())) {
                throw new IllegalArgumentException("data centre " + dc.id() + " is in zone " + dc.zone()
                        + ", which has no static intensity");
            }
        }
    }

    /** The tables under {@code carbonstream/} on the classpath. */
    public static StaticTables bundled() {
        List<Datacenter> dcs = new ArrayList<>();
        for (String[] row : csv("carbonstream/datacenters.csv")) {
            dcs.add(new Datacenter(row[0], row[1], new BigDecimal(row[2]), row[3]));
        }
        Map<String, BigDecimal> intensity = new java.util.HashMap<>();
        for (String[] row : csv("carbonstream/static-intensity.csv")) {
            intensity.put(row[0], new BigDecimal(row[1]));
        }
        Map<String, BigDecimal> embodied = new java.util.HashMap<>();
        for (String[] row : csv("carbonstream/embodied.csv")) {
            embodied.put(row[0], new BigDecimal(row[1]));
        }
        return new StaticTables(dcs, intensity, embodied);
    }

    public Optional<BigDecimal> annualIntensity(String zone) {
        return Optional.ofNullable(intensity.get(zone));
    }

    /** Grams CO2e of manufacturing one accelerator of this profile (the default row when it has none). */
    public BigDecimal embodiedGrams(String acceleratorType) {
        BigDecimal kg = acceleratorType == null ? null : embodiedKg.get(acceleratorType);
        return (kg == null ? embodiedKg.get("*") : kg).multiply(BigDecimal.valueOf(1000));
    }

    public List<Datacenter> datacenters() {
        return datacenters.values().stream().sorted(java.util.Comparator.comparing(Datacenter::id)).toList();
    }

    private static List<String[]> csv(String resource) {
        InputStream in = StaticTables.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing from the classpath");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String[]> rows = new ArrayList<>();
            boolean header = true;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                rows.add(line.split(",", 4));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
