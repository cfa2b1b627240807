package io.carbonstream.events;

/**
 * A failure that says nothing about the record being handled (a catalog not loaded yet, a database away): the
 * record must be tried again later, never dead-lettered for it.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
