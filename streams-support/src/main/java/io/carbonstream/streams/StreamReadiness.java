package io.carbonstream.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: DOWN when the stream threads died or stalled ({@link StreamHealth}), so no traffic is routed here. */
@Readiness
@ApplicationScoped
public class StreamReadiness implements HealthCheck {

    @Inject
    StreamHealth health;

    @Override
    public HealthCheckResponse call() {
        return health.check("stream threads");
    }
}
