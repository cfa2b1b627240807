package io.carbonstream.carbon.grid;

import io.carbonstream.events.Bounds;
import io.carbonstream.events.FootprintEvent.MarketFactor;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An immutable snapshot of the data centres and their PUE over time, as the stream processor applies them. */
public final class DatacenterCatalog {

    /**
     * A data centre's zone and the PUE that held at a given time, with its range (stated, else the default), and the
     * market-based factor of that time ({@link #market}).
     */
    public record At(String id, String zone, BigDecimal pue, String pueSource, Bounds pueBounds, MarketFactor market) {

        /** A PUE without a stated range: the default range around it; no market instrument. */
        public At(String id, String zone, BigDecimal pue, String pueSource) {
            this(id, zone, pue, pueSource, Ranges.pue(pue, null, null), NO_MARKET);
        }
    }

    /** No instrument and no residual mix: market-based is location-based. */
    public static final MarketFactor NO_MARKET = new MarketFactor(BigDecimal.ZERO, BigDecimal.ZERO, null, null, List.of());

    /**
     * A contractual instrument of a data centre (GHG Protocol Scope 2 Guidance): an energy attribute certificate
     * (EAC: GOs, RECs, I-RECs) or a PPA covering {@code share} of its consumption at {@code gCo2ePerKWh}, or a
     * supplier-specific factor (SUPPLIER, no share) for the consumption no certificate covers; from {@code validFrom}
     * (inclusive) to {@code validTo} (exclusive).
     */
    public record Instrument(String id, String datacenterId, InstrumentKind kind, Instant validFrom, Instant validTo,
                             BigDecimal share, BigDecimal gCo2ePerKWh, String source) {

        public boolean covers(Instant at) {
            return !at.isBefore(validFrom) && at.isBefore(validTo);
        }
    }

    /** What kind of contractual instrument. */
    public enum InstrumentKind { EAC, PPA, SUPPLIER }

    /** A zone's residual mix from {@code validFrom} until its next one. */
    public record ResidualMix(String zone, Instant validFrom, BigDecimal gCo2ePerKWh, String source) {
    }

    /** A data centre: the grid zone it draws from. */
    public record Site(String id, String zone, String name, String source) {
    }

    /**
     * One PUE value of a data centre, from {@code validFrom} until its next one.
     *
     * @param pueLow  the low end of its stated range, null when none was stated
     * @param pueHigh the high end of its stated range, null when none was stated
     */
    public record Pue(String datacenterId, Instant validFrom, BigDecimal pue, String source, BigDecimal pueLow,
                      BigDecimal pueHigh) {

        /** A PUE without a stated range. */
        public Pue(String datacenterId, Instant validFrom, BigDecimal pue, String source) {
            this(datacenterId, validFrom, pue, source, null, null);
        }
    }

    private final Map<String, Site> datacenters;
    private final Map<String, NavigableMap<Instant, Pue>> pue;
    private final Map<String, List<Instrument>> instruments;
    private final Map<String, NavigableMap<Instant, ResidualMix>> residualMixes;

    public DatacenterCatalog(Collection<Site> datacenters, Collection<Pue> pues) {
        this(datacenters, pues, List.of(), List.of());
    }

    public DatacenterCatalog(Collection<Site> datacenters, Collection<Pue> pues, Collection<Instrument> instruments,
                             Collection<ResidualMix> residualMixes) {
        this.instruments = instruments.stream().collect(Collectors.groupingBy(Instrument::datacenterId,
                Collectors.collectingAndThen(Collectors.toList(), List::copyOf)));
        this.residualMixes = residualMixes.stream().collect(Collectors.groupingBy(ResidualMix::zone,
                Collectors.toMap(ResidualMix::validFrom, Function.identity(), (a, b) -> b, TreeMap::new)));
        this.datacenters = datacenters.stream().collect(Collectors.toUnmodifiableMap(Site::id, Function.identity()));
        this.pue = pues.stream().collect(Collectors.groupingBy(Pue::datacenterId,
                Collectors.toMap(Pue::validFrom, Function.identity(), (a, b) -> b, TreeMap::new)));
    }

    /** The bundled, cited table: each data centre with its PUE valid since the epoch. */
    public static DatacenterCatalog of(StaticTables tables) {
        return new DatacenterCatalog(tables.datacenters().stream().map(d -> new Site(d.id(), d.zone(), null, d.source())).toList(),
                tables.datacenters().stream()
                .map(d -> new Pue(d.id(), Instant.EPOCH, d.pue(), d.source())).toList());
    }

    /** The data centre's zone and the PUE valid at {@code at}; empty for an unknown or retired data centre. */
    public Optional<At> at(String id, Instant at) {
        Site dc = id == null ? null : datacenters.get(id);
        NavigableMap<Instant, Pue> history = dc == null ? null : pue.get(id);
        var entry = history == null ? null : history.floorEntry(at);
        if (entry == null) {
            return Optional.empty();
        }
        Pue p = entry.getValue();
        return Optional.of(new At(dc.id(), dc.zone(), p.pue(), p.source(), Ranges.pue(p.pue(), p.pueLow(), p.pueHigh()),
                market(dc, at)));
    }

    /**
     * The market-based factor of data centre {@code dc} at {@code at}: its certificates' and PPAs' shares at their
     * factors, and for the rest its supplier's factor, else its zone's residual mix, else none (location-based).
     */
    MarketFactor market(Site dc, Instant at) {
        BigDecimal covered = BigDecimal.ZERO;
        BigDecimal factor = BigDecimal.ZERO;
        List<String> ids = new ArrayList<>();
        Instrument supplier = null;
        for (Instrument i : instruments.getOrDefault(dc.id(), List.of())) {
            if (!i.covers(at)) {
                continue;
            }
            ids.add(i.id());
            if (i.kind() == InstrumentKind.SUPPLIER) {
                supplier = i;
            } else {
                covered = covered.add(i.share());
                factor = factor.add(i.share().multiply(i.gCo2ePerKWh()));
            }
        }
        BigDecimal residual = null;
        String residualSource = null;
        if (supplier != null) {
            residual = supplier.gCo2ePerKWh();
            residualSource = "supplier-specific factor " + supplier.id();
        } else {
            NavigableMap<Instant, ResidualMix> mixes = residualMixes.get(dc.zone());
            var mix = mixes == null ? null : mixes.floorEntry(at);
            if (mix != null) {
                residual = mix.getValue().gCo2ePerKWh();
                residualSource = "residual mix of " + dc.zone() + " from " + mix.getValue().validFrom() + " (GET /residual-mixes)";
            }
        }
        if (ids.isEmpty() && residual == null) {
            return NO_MARKET;
        }
        java.util.Collections.sort(ids);
        return new MarketFactor(covered.min(BigDecimal.ONE), factor, residual, residualSource, List.copyOf(ids));
    }

    /** The instruments of a data centre, as applied. */
    public List<Instrument> instruments(String datacenterId) {
        return instruments.getOrDefault(datacenterId, List.of());
    }

    /** Whether any data centre draws from {@code zone}. */
    public boolean hasZone(String zone) {
        return datacenters.values().stream().anyMatch(d -> d.zone().equals(zone));
    }
}
