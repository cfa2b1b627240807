package io.carbonstream.carbon.grid;

import io.carbonstream.events.Bounds;

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
    private final Map<String, Bounds> intensityRanges;
    private final Map<String, Bounds> embodiedKgRanges;
    private List<DatacenterCatalog.Instrument> instruments = List.of();
    private List<DatacenterCatalog.ResidualMix> residualMixes = List.of();

    public StaticTables(List<Datacenter> datacenters, Map<String, BigDecimal> intensity, Map<String, BigDecimal> embodiedKg) {
        this(datacenters, intensity, embodiedKg, Map.of(), Map.of());
    }

    /**
     * @param intensityRanges  per zone, the published spread of its intensity over the year (gCO2e/kWh)
     * @param embodiedKgRanges per accelerator profile ("*" for the rest), the spread of published manufacturing
     *                         footprints (kg CO2e per device)
     */
    public StaticTables(List<Datacenter> datacenters, Map<String, BigDecimal> intensity, Map<String, BigDecimal> embodiedKg,
                        Map<String, Bounds> intensityRanges, Map<String, Bounds> embodiedKgRanges) {
        this.embodiedKg = Map.copyOf(embodiedKg);
        this.intensityRanges = Map.copyOf(intensityRanges);
        this.embodiedKgRanges = Map.copyOf(embodiedKgRanges);
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
        Map<String, Bounds> intensityRanges = new java.util.HashMap<>();
        for (String[] row : csv("carbonstream/static-intensity-ranges.csv")) {
            intensityRanges.put(row[0], range(row));
        }
        Map<String, Bounds> embodiedRanges = new java.util.HashMap<>();
        for (String[] row : csv("carbonstream/embodied-ranges.csv")) {
            embodiedRanges.put(row[0], range(row));
        }
        StaticTables tables = new StaticTables(dcs, intensity, embodied, intensityRanges, embodiedRanges);
        List<DatacenterCatalog.Instrument> instruments = new ArrayList<>();
        for (String[] row : csv("carbonstream/instruments.csv", 8)) {
            instruments.add(new DatacenterCatalog.Instrument(row[0], row[1], DatacenterCatalog.InstrumentKind.valueOf(row[2]),
                    java.time.Instant.parse(row[3]), java.time.Instant.parse(row[4]), row[5].isEmpty() ? null : new BigDecimal(row[5]),
                    new BigDecimal(row[6]), unquote(row[7])));
        }
        List<DatacenterCatalog.ResidualMix> mixes = new ArrayList<>();
        for (String[] row : csv("carbonstream/residual-mixes.csv", 4)) {
            mixes.add(new DatacenterCatalog.ResidualMix(row[0], java.time.Instant.parse(row[1]), new BigDecimal(row[2]), unquote(row[3])));
        }
        tables.instruments = List.copyOf(instruments);
        tables.residualMixes = List.copyOf(mixes);
        return tables;
    }

    private static String unquote(String text) {
        return text.length() > 1 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }

    /** The cited example instruments seeded with the data centres (carbonstream/instruments.csv). */
    public List<DatacenterCatalog.Instrument> instruments() {
        return instruments;
    }

    /** The cited residual mixes seeded into an empty table (carbonstream/residual-mixes.csv). */
    public List<DatacenterCatalog.ResidualMix> residualMixes() {
        return residualMixes;
    }

    private static Bounds range(String[] row) {
        Bounds b = new Bounds(new BigDecimal(row[1]), new BigDecimal(row[2]));
        if (b.low().signum() < 0 || b.low().compareTo(b.high()) > 0) {
            throw new IllegalArgumentException("range of " + row[0] + " must be 0 <= low <= high, was " + row[1] + ".." + row[2]);
        }
        return b;
    }

    /**
     * The range around a zone's static annual average: its published spread over the year where the bundled table
     * has it, else {@link Ranges#STATIC} around the average. Never narrower than the average itself.
     */
    public Bounds annualRange(String zone, BigDecimal average) {
        Bounds published = intensityRanges.get(zone);
        Bounds b = published != null ? published : Ranges.intensity(average, io.carbonstream.events.IntensityBasis.STATIC);
        return new Bounds(b.low().min(average), b.high().max(average));
    }

    /**
     * The range of one accelerator's manufacturing footprint in grams: the spread of published estimates for its
     * profile (or the default row's), else {@link Ranges#EMBODIED} around the figure charged.
     */
    public Bounds embodiedRange(String acceleratorType) {
        BigDecimal grams = embodiedGrams(acceleratorType);
        Bounds kg = acceleratorType == null ? null : embodiedKgRanges.get(acceleratorType);
        if (kg == null && (acceleratorType == null || !embodiedKg.containsKey(acceleratorType))) {
            kg = embodiedKgRanges.get("*");
        }
        Bounds b = kg != null ? new Bounds(kg.low().multiply(BigDecimal.valueOf(1000)), kg.high().multiply(BigDecimal.valueOf(1000)))
                : Bounds.relative(grams, Ranges.EMBODIED);
        return new Bounds(b.low().min(grams), b.high().max(grams));
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
        return csv(resource, 4);
    }

    private static List<String[]> csv(String resource, int columns) {
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
                rows.add(line.split(",", columns));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
