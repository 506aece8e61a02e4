package com.fanzfinance.platform;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.fanzfinance.embedded.EmbeddedDatabase;
import com.fanzfinance.platform.common.ServiceDatabase.DatabaseLogin;

/**
 * The platform services' settings, from environment variables (or a map in tests). Each service reads its
 * own extras with {@link #get}/{@link #getLong}; the shared ones are here. No setting's value is ever logged
 * when it is a secret (database password, ledger key, service keys).
 */
public final class PlatformSettings {
    public static final String IDENTITY = "identity";
    public static final String CONTENT = "content";
    public static final String COMPLIANCE = "compliance";
    public static final String MEDIA = "media";

    private final Map<String, String> values;

    public PlatformSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static PlatformSettings fromEnvironment() {
        return new PlatformSettings(System.getenv());
    }

    /** A copy with {@code more} over these values. */
    public PlatformSettings with(Map<String, String> more) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(values);
        all.putAll(more);
        return new PlatformSettings(all);
    }

    public String get(String name, String otherwise) {
        String value = values.get(name);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    public Optional<String> find(String name) {
        return Optional.ofNullable(get(name, null));
    }

    /** A required setting; its absence is a start-up error naming it. */
    public String require(String name) {
        String value = get(name, null);
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value;
    }

    public long getLong(String name, long otherwise, long min, long max) {
        String value = get(name, null);
        if (value == null) {
            return otherwise;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }

    /** The address services listen on (default loopback). */
    public String host() {
        return get("FANZ_PLATFORM_HOST", "127.0.0.1");
    }

    /** The port of {@code service} ({@code FANZ_<SERVICE>_PORT}; defaults 8081–8084; 0: any free port). */
    public int port(String service) {
        int otherwise = switch (service) {
            case IDENTITY -> 8081;
            case CONTENT -> 8082;
            case COMPLIANCE -> 8083;
            case MEDIA -> 8084;
            default -> throw new IllegalArgumentException("unknown service " + service);
        };
        return (int) getLong("FANZ_" + service.toUpperCase(java.util.Locale.ROOT) + "_PORT", otherwise, 0, 65535);
    }

    /** Where {@code service} is reached by the others ({@code FANZ_<SERVICE>_URL}; default on its port at the host). */
    public URI url(String service) {
        return URI.create(get("FANZ_" + service.toUpperCase(java.util.Locale.ROOT) + "_URL",
            "http://127.0.0.1:" + port(service)));
    }

    /** These settings pointed at {@code embedded} for the services' database (password included). */
    public PlatformSettings withDatabase(EmbeddedDatabase embedded) {
        return with(Map.of("FANZ_PLATFORM_DB_URL", embedded.jdbcUrl(),
            "FANZ_PLATFORM_DB_USER", EmbeddedDatabase.USER,
            "FANZ_PLATFORM_DB_PASSWORD", embedded.password()));
    }

    public DatabaseLogin database() {
        return new DatabaseLogin(require("FANZ_PLATFORM_DB_URL"), get("FANZ_PLATFORM_DB_USER", "postgres"),
            get("FANZ_PLATFORM_DB_PASSWORD", null), get("FANZ_PLATFORM_SCHEMA_PREFIX", ""));
    }

    /** The {@code iss} of the identity service's tokens. */
    public String issuer() {
        return get("FANZ_TOKEN_ISSUER", "fanz-identity");
    }

    public URI ledgerUrl() {
        return URI.create(get("FANZ_LEDGER_URL", "http://127.0.0.1:8080"));
    }

    /** The ledger API key of the platform (scopes payments, payouts, compliance:write, events:read). */
    public String ledgerKey() {
        return require("FANZ_LEDGER_KEY");
    }

    /** The service key {@code service} presents to the identity service ({@code FANZ_SERVICE_KEY_<SERVICE>}). */
    public String serviceKey(String service) {
        return require("FANZ_SERVICE_KEY_" + service.toUpperCase(java.util.Locale.ROOT));
    }

    /** The platform's own files (media storage, keys): {@code FANZ_PLATFORM_DATA}, default {@code data/platform}. */
    public Path dataDirectory() {
        return Path.of(get("FANZ_PLATFORM_DATA", "data/platform"));
    }

    /** The largest JSON body a service takes ({@code FANZ_PLATFORM_MAX_BODY_BYTES}, default 1 MiB). */
    public long maxBodyBytes() {
        return getLong("FANZ_PLATFORM_MAX_BODY_BYTES", 1 << 20, 1024, 64L << 20);
    }

    @Override
    public String toString() {
        return "PlatformSettings[" + values.size() + " values]";
    }
}
