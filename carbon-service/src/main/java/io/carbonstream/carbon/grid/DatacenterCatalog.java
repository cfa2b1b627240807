package io.carbonstream.carbon.grid;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An immutable snapshot of the data centres and their PUE over time, as the stream processor applies them. */
public final class DatacenterCatalog {

    /** A data centre's zone and the PUE that held at a given time. */
    public record At(String id, String zone, BigDecimal pue, String pueSource) {
    }

    /** A data centre: the grid zone it draws from. */
    public record Site(String id, String zone, String name, String source) {
    }

    /** One PUE value of a data centre, from {@code validFrom} until its next one. */
    public record Pue(String datacenterId, Instant validFrom, BigDecimal pue, String source) {
    }

    private final Map<String, Site> datacenters;
    private final Map<String, NavigableMap<Instant, Pue>> pue;

    public DatacenterCatalog(Collection<Site> datacenters, Collection<Pue> pues) {
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
        return Optional.of(new At(dc.id(), dc.zone(), entry.getValue().pue(), entry.getValue().source()));
    }
}
