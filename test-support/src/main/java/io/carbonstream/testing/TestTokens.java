package io.carbonstream.testing;

import io.carbonstream.local.Tokens;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Bearer tokens for tests: signed with a key pair of the test run's own ({@code target/test-keys}), whose public
 * half {@link QuarkusInfrastructure} gives the service under test; {@link AsAdmin} makes a test class's requests an
 * admin's.
 */
public final class TestTokens {

    public static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();
    private static final Duration HOUR = Duration.ofHours(1);

    private TestTokens() {
    }

    public static KeyPair keys() {
        return Tokens.keys(DIR);
    }

    /** An admin of tenant {@code ops}: sees and may change everything. */
    public static String admin() {
        return of("ops", "admin");
    }

    public static String of(String tenant, String... roles) {
        return Tokens.issue(keys().getPrivate(), tenant, Set.of(roles), HOUR);
    }

    /** A token that expired a minute ago. */
    public static String expired(String tenant, String... roles) {
        return Tokens.issue(keys().getPrivate(), Tokens.ISSUER, Tokens.AUDIENCE, tenant, Set.of(roles),
                Instant.now().minus(Duration.ofMinutes(61)), HOUR, null);
    }

    /** A well-formed token signed by a key the services do not know. */
    public static String foreignKey(String tenant, String... roles) {
        return Tokens.issue(Tokens.keys(DIR.resolveSibling("test-keys-foreign")).getPrivate(), tenant, Set.of(roles), HOUR);
    }

    /** A token of another issuer, signed with the right key. */
    public static String otherIssuer(String tenant, String... roles) {
        return Tokens.issue(keys().getPrivate(), "someone-else", Tokens.AUDIENCE, tenant, Set.of(roles), Instant.now(),
                HOUR, null);
    }

    /** A token for another audience, signed with the right key. */
    public static String otherAudience(String tenant, String... roles) {
        return Tokens.issue(keys().getPrivate(), Tokens.ISSUER, "another-service", tenant, Set.of(roles), Instant.now(),
                HOUR, null);
    }
}
