package io.carbonstream.benchmarks.stack;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.atomic.AtomicReference;

/** The first failed send of a phase, checked while it waits, so that a failure is reported at once. */
final class Sends implements Callback {

    private final String phase;
    private final AtomicReference<Exception> failed = new AtomicReference<>();

    Sends(String phase) {
        this.phase = phase;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
        if (e != null) {
            failed.compareAndSet(null, e);
        }
    }

    void check() {
        Exception e = failed.get();
        if (e != null) {
            throw new IllegalStateException(phase + ": a record could not be sent: " + e, e);
        }
    }
}
