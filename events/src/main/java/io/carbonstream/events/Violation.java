package io.carbonstream.events;

/** One field of an event that breaks the contract, and why. */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
