package io.carbonstream.telemetry.power;

/** A batch names hardware the catalog does not have: its energy cannot be computed, and must not be zero. */
public class UnknownHardwareException extends RuntimeException {

    private final String field;

    public UnknownHardwareException(String field, String id) {
        super("unknown hardware profile '" + id + "'");
        this.field = field;
    }

    public String field() {
        return field;
    }
}
