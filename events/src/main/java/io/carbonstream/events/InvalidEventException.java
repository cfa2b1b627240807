package io.carbonstream.events;

/** An event that cannot be accepted: malformed, or with a field out of range. */
public class InvalidEventException extends RuntimeException {

    private final String field;

    public InvalidEventException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    /** The offending field, or null when the event as a whole is at fault. */
    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
