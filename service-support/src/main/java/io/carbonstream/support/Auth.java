package io.carbonstream.support;

/**
 * carbonstream's three roles, carried in the bearer token's {@code groups} claim (MicroProfile JWT), and what the
 * services tell a caller whose token was refused. The endpoint of each role: docs/security.md.
 */
public final class Auth {

    /** Registers its tenant's jobs, reports their batches, starts runs and replays for its tenant. */
    public static final String TRAINER = "trainer";
    /** Reads its tenant's jobs, footprints, reports, streams and roll-ups. */
    public static final String VIEWER = "viewer";
    /** Hardware catalog, data centres and PUE, manual intensity, dead letters and redrive; every tenant. */
    public static final String ADMIN = "admin";

    private Auth() {
    }

    /**
     * Why a token was refused, in words a user can act on and without the verifier's own messages (which name
     * classes and echo claims): expired, not yet valid, or not issued for this deployment.
     */
    static String whyInvalid(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.jose4j.jwt.consumer.InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "it has expired; get a new one";
                }
                if (invalid.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.NOT_YET_VALID)
                        || invalid.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                    return "it is not valid yet";
                }
                if (invalid.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)
                        || invalid.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_MISSING)) {
                    return "it was not issued by this deployment's issuer";
                }
                if (invalid.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_INVALID)
                        || invalid.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_MISSING)) {
                    return "it is not meant for this deployment (audience)";
                }
                if (invalid.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)) {
                    return "its signature does not verify with this deployment's key";
                }
            }
        }
        return "it is malformed, wrongly signed, expired, or not issued for this deployment";
    }
}
