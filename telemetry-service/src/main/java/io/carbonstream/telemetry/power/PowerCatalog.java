package io.carbonstream.telemetry.power;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An immutable snapshot of the current hardware profiles, by id. */
public final class PowerCatalog {

    private final Map<String, HardwareProfile> profiles;

    public PowerCatalog(Collection<HardwareProfile> profiles) {
        this.profiles = profiles.stream().collect(Collectors.toUnmodifiableMap(HardwareProfile::id, Function.identity()));
    }

    public Optional<HardwareProfile> find(String id) {
        return Optional.ofNullable(id == null ? null : profiles.get(id));
    }

    /** Every profile, ordered by id. */
    public java.util.List<HardwareProfile> all() {
        return profiles.values().stream().sorted(java.util.Comparator.comparing(HardwareProfile::id)).toList();
    }

}
