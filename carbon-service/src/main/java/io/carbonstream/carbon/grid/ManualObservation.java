package io.carbonstream.carbon.grid;

import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.events.Violation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /intensity}: an observation entered by hand (an audit, a supplier's figure, a PPA).
 *
 * @param validTo     optional end; open-ended until the zone's next observation
 * @param signal      default AVERAGE
 */
public record ManualObservation(String zone, Instant validFrom, Instant validTo, BigDecimal gCo2ePerKWh,
                                GridIntensityEvent.Signal signal, Boolean estimated, Boolean forecast) {

    /** Highest intensity accepted: no grid is above ~1.2 kg/kWh; 5 kg/kWh leaves room for odd units. */
    public static final BigDecimal MAX_G_PER_KWH = BigDecimal.valueOf(5000);

    public List<Violation> validate() {
        List<Violation> v = new ArrayList<>();
        if (zone == null || !zone.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            v.add(new Violation("zone", "is required: letters, digits, '-' or '_', such as DE or US-CAL-CISO"));
        }
        if (validFrom == null) {
            v.add(new Violation("validFrom", "is required"));
        } else if (validTo != null && !validTo.isAfter(validFrom)) {
            v.add(new Violation("validTo", "must be after validFrom"));
        }
        if (gCo2ePerKWh == null) {
            v.add(new Violation("gCo2ePerKWh", "is required"));
        } else if (gCo2ePerKWh.signum() < 0 || gCo2ePerKWh.compareTo(MAX_G_PER_KWH) > 0) {
            v.add(new Violation("gCo2ePerKWh", "must be in 0..5000, was " + gCo2ePerKWh.toPlainString()));
        }
        return v;
    }

    public GridIntensityEvent toEvent() {
        return new GridIntensityEvent(GridIntensityEvent.SCHEMA_VERSION, zone, validFrom, validTo, gCo2ePerKWh,
                signal == null ? GridIntensityEvent.Signal.AVERAGE : signal, GridIntensityEvent.Source.MANUAL,
                Boolean.TRUE.equals(estimated), Boolean.TRUE.equals(forecast));
    }
}
