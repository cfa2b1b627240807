package io.carbonstream.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness: DOWN when the stream threads died or stalled ({@link StreamHealth}); an orchestrator restarts the pod. */
@Liveness
@ApplicationScoped
public class StreamLiveness implements HealthCheck {

    @Inject
    StreamHealth health;

    @Override
    public HealthCheckResponse call() {
        return health.check("stream threads");
    }
}
