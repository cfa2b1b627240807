package io.carbonstream.local;

import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The local stack's token issuer: an RSA key pair generated on first start under {@code CARBONSTREAM_HOME/keys}
 * (the private key readable by its owner only, never committed), and RS256 bearer tokens signed with it that the
 * services verify with the public half.
 *
 * <pre>
 *   Tokens keys  --dir DIR                                       create the key pair unless it exists; print the public key's path
 *   Tokens issue --dir DIR --tenant T --role R[,R] [--ttl 8h]    print a token (roles: trainer, viewer, admin)
 *                [--subject S] [--issuer I] [--audience A]
 * </pre>
 */
public final class Tokens {

    /** The issuer and audience the services expect by default (service-support's configuration). */
    public static final String ISSUER = "carbonstream-local";
    public static final String AUDIENCE = "carbonstream";
    public static final String PRIVATE_KEY = "jwt-private.pem";
    public static final String PUBLIC_KEY = "jwt-public.pem";
    public static final List<String> ROLES = List.of("trainer", "viewer", "admin");
    /** Longest life of a token issued here. */
    public static final Duration MAX_TTL = Duration.ofDays(366);

    private Tokens() {
    }

    /** The key pair in {@code dir}, created first when it is not there. */
    public static synchronized KeyPair keys(Path dir) {
        Path priv = dir.resolve(PRIVATE_KEY);
        Path pub = dir.resolve(PUBLIC_KEY);
        try {
            if (!Files.exists(priv) || !Files.exists(pub)) {
                Files.createDirectories(dir);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path tmp = Files.createTempFile(dir, "key", ".tmp");
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system has no POSIX permissions; the directory's own protect it
                }
                Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.move(tmp, priv, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                return pair;
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(priv))));
            PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(der(Files.readString(pub))));
            return new KeyPair(publicKey, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key pair in " + dir + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A token for a tenant with these roles, valid from now for {@code ttl}. */
    public static String issue(PrivateKey key, String tenant, Set<String> roles, Duration ttl) {
        return issue(key, ISSUER, AUDIENCE, tenant, roles, Instant.now(), ttl, null);
    }

    /** A token with every claim chosen: for tests of refused tokens (expired, another issuer or audience) too. */
    public static String issue(PrivateKey key, String issuer, String audience, String tenant, Set<String> roles,
                               Instant issuedAt, Duration ttl, String subject) {
        var claims = Jwt.issuer(issuer).audience(audience)
                .subject(subject != null ? subject : (tenant == null ? "carbonstream" : tenant) + "-" + String.join("-", roles))
                .upn(subject != null ? subject : tenant)
                .groups(new LinkedHashSet<>(roles))
                .issuedAt(issuedAt.getEpochSecond())
                .expiresAt(issuedAt.plus(ttl).getEpochSecond())
                .claim("jti", UUID.randomUUID().toString());
        if (tenant != null) {
            claims.claim("tenant", tenant);
        }
        return claims.jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(key);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    /** Parses a duration such as 30m, 8h, 7d or an ISO-8601 one (PT8H). */
    static Duration ttl(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        Duration d;
        if (t.matches("\\d{1,6}[smhd]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            d = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("--ttl " + text + ": give 30m, 8h, 7d or an ISO-8601 duration");
            }
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl " + text + ": must be more than 0 and at most 366 days");
        }
        return d;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("carbonstream token: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: keys --dir DIR | issue --dir DIR --tenant T --role R[,R] [--ttl 8h]");
        }
        String command = args[0];
        Path dir = null;
        String tenant = null, roles = null, ttl = "8h", subject = null, issuer = ISSUER, audience = AUDIENCE;
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--dir" -> dir = Path.of(value);
                case "--tenant" -> tenant = value;
                case "--role", "--roles" -> roles = value;
                case "--ttl" -> ttl = value;
                case "--subject" -> subject = value;
                case "--issuer" -> issuer = value;
                case "--audience" -> audience = value;
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required");
        }
        if ("keys".equals(command)) {
            keys(dir);
            System.out.println(dir.resolve(PUBLIC_KEY).toAbsolutePath());
            return;
        }
        if (!"issue".equals(command)) {
            throw new IllegalArgumentException("unknown command " + command + " (keys or issue)");
        }
        if (roles == null) {
            throw new IllegalArgumentException("--role is required: " + String.join(", ", ROLES) + " (several: trainer,viewer)");
        }
        Set<String> roleSet = new LinkedHashSet<>(List.of(roles.split(",")));
        for (String r : roleSet) {
            if (!ROLES.contains(r)) {
                throw new IllegalArgumentException("unknown role " + r + "; roles are " + String.join(", ", ROLES));
            }
        }
        if (tenant == null && !roleSet.equals(Set.of("admin"))) {
            throw new IllegalArgumentException("--tenant is required (an admin token may leave it out)");
        }
        if (tenant != null && !tenant.matches("[\\x21-\\x7e]{1,128}")) {
            throw new IllegalArgumentException("--tenant must be 1..128 printable ASCII characters without spaces");
        }
        System.out.println(issue(keys(dir).getPrivate(), issuer, audience, tenant, roleSet, Instant.now(), ttl(ttl), subject));
    }
}
