package io.carbonstream.support;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who sent the request: the tenant named by the bearer token's tenant claim ({@code carbonstream.auth.tenant-claim},
 * default {@code tenant}) and its roles. A tenant is never taken from a request body or path: what a caller may see
 * and change is decided here, from the verified token alone.
 */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    @ConfigProperty(name = "carbonstream.auth.tenant-claim", defaultValue = "tenant")
    String tenantClaim;

    public boolean isAdmin() {
        return identity.hasRole(Auth.ADMIN);
    }

    /** The token's tenant, or null when it names none. */
    public String tenantOrNull() {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return null;
        }
        Object claim = jwt.getClaim(tenantClaim);
        if (claim instanceof jakarta.json.JsonString s) {
            return s.getString();
        }
        return claim instanceof String s && !s.isEmpty() ? s : null;
    }

    /**
     * Whether this caller may see a resource of a tenant, as a value that outlives the request: for filters applied
     * later, such as an open event stream's.
     */
    public java.util.function.Predicate<String> tenantsSeen() {
        if (isAdmin()) {
            return tenant -> true;
        }
        String own = tenantOrNull();
        return tenant -> own != null && own.equals(tenant);
    }

    /** Whether this caller may see a resource of this tenant: its own tenant, or any as admin. */
    public boolean sees(String tenant) {
        return tenantsSeen().test(tenant);
    }

    /**
     * The tenant a new job, run or replay belongs to. A caller acts for the tenant of its token; a body may repeat it
     * but not name another (403). An admin may name any tenant, and without one acts for its own.
     */
    public String actingTenant(String requested) {
        String own = tenantOrNull();
        if (isAdmin() && requested != null) {
            return requested;
        }
        if (own == null) {
            throw ProblemException.forbidden("the token names no tenant (claim '" + tenantClaim + "'); jobs belong to a tenant");
        }
        if (requested != null && !requested.equals(own)) {
            throw ProblemException.forbidden("a token of tenant " + own + " acts for its own tenant only; leave 'tenant'"
                    + " out or use a token of the tenant named");
        }
        return own;
    }
}
