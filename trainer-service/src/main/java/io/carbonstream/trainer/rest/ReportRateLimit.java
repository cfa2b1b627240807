package io.carbonstream.trainer.rest;

import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A per-tenant limit on batch reports, so that one tenant's runaway trainer cannot take the ingestion path from the
 * others: a token bucket per tenant that refills at {@code carbonstream.limits.batch-reports-per-second} reports per
 * second and holds up to {@code carbonstream.limits.batch-reports-burst}. A request takes as many tokens as it carries
 * reports, all or none; a request over the limit is refused whole with 429 and {@code Retry-After} (whole seconds), and
 * nothing of it is sent. 0 turns the limit off. The limit is per instance of trainer-service.
 */
@ApplicationScoped
public class ReportRateLimit {

    @ConfigProperty(name = "carbonstream.limits.batch-reports-per-second", defaultValue = "100000")
    double perSecond;

    @ConfigProperty(name = "carbonstream.limits.batch-reports-burst", defaultValue = "200000")
    double burst;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Sets the limit while running (0 turns it off) and starts every tenant with a full bucket. */
    public void limit(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        buckets.clear();
    }

    /** Takes {@code reports} tokens from the tenant's bucket, or throws 429 with the seconds until they would be there. */
    public void acquire(String tenant, int reports) {
        if (perSecond <= 0) {
            return;
        }
        double wait = buckets.computeIfAbsent(tenant, t -> new Bucket(burst, System.nanoTime()))
                .take(reports, perSecond, burst, System.nanoTime());
        if (wait > 0) {
            long seconds = Math.max(1, (long) Math.ceil(wait));
            throw new ProblemException(Problem.tooManyRequests("tenant " + tenant + " is over its limit of "
                    + fmt(perSecond) + " batch reports per second (bursts up to " + fmt(burst) + "); send again in "
                    + seconds + " s"), Map.of("Retry-After", Long.toString(seconds)));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        /** Takes n tokens and answers 0, or takes none and answers the seconds until n would be there. */
        synchronized double take(int n, double perSecond, double burst, long now) {
            // a bucket always holds one request's worth, even when configured smaller
            double capacity = Math.max(burst, n);
            tokens = Math.min(capacity, tokens + (now - at) / 1e9 * perSecond);
            at = now;
            if (tokens >= n) {
                tokens -= n;
                return 0;
            }
            return (n - tokens) / perSecond;
        }
    }
}
