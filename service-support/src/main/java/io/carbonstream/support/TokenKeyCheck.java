package io.carbonstream.support;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Says at start, loudly, when no key to verify tokens with is configured: the service then refuses every request
 * but health, metrics and the API description with 401, which is safe but baffling without this line.
 */
@ApplicationScoped
public class TokenKeyCheck {

    private static final Logger LOG = Logger.getLogger(TokenKeyCheck.class);

    void onStart(@Observes StartupEvent start, Config config) {
        boolean key = config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent()
                || config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent();
        if (!key) {
            LOG.error("no key to verify bearer tokens with: set mp.jwt.verify.publickey.location (a PEM, a JWK set or"
                    + " a JWKS URL; env MP_JWT_VERIFY_PUBLICKEY_LOCATION). Until then every request is refused with 401"
                    + " (docs/security.md)");
        } else {
            LOG.infof("bearer tokens verified for issuer %s, audience %s",
                    config.getOptionalValue("mp.jwt.verify.issuer", String.class).orElse("(any)"),
                    config.getOptionalValue("mp.jwt.verify.audiences", String.class).orElse("(any)"));
        }
    }
}
