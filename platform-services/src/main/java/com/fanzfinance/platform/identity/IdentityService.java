package com.fanzfinance.platform.identity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.PlatformService;
import com.fanzfinance.platform.common.ServiceApp;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.TokenVerifier;

/**
 * The identity service: brands, people and their roles per brand, sign-in and single sign-on across brands
 * (OAuth 2.0 token endpoint issuing RS256 access tokens), the rotating signing keys and their JWKS, and the
 * platform services' keys. Its data is in the schema {@code <FANZ_PLATFORM_SCHEMA_PREFIX>identity}.
 *
 * <p>At start it makes the brands of {@code FANZ_IDENTITY_BOOTSTRAP_TENANTS} that are missing, the platform
 * admin of {@code FANZ_IDENTITY_ADMIN_EMAIL}/{@code FANZ_IDENTITY_ADMIN_PASSWORD} (an existing account keeps
 * its password), registers the launcher's service keys ({@code FANZ_SERVICE_KEY_<NAME>}) and makes sure a
 * signing key is active; then hourly it rotates the signing key once it is {@code FANZ_IDENTITY_KEY_ROTATE_DAYS}
 * old and forgets stale sign-in failures. A new key (rotated by age or on demand) is published at once and signs
 * {@code FANZ_IDENTITY_KEY_ACTIVATE_SECONDS} later (default 60, 0–3600; 0: at once). Further settings: {@code FANZ_TOKEN_TTL_SECONDS} (60–3600, default
 * 900), {@code FANZ_IDENTITY_LOCKOUT_ATTEMPTS} (default 5), {@code FANZ_IDENTITY_LOCKOUT_MINUTES} (default 15),
 * {@code FANZ_PLATFORM_SECRETS_KEY} (see {@link SecretsKey}) and {@code FANZ_IDENTITY_URL} (its public address,
 * for the discovery document).
 */
public final class IdentityService implements PlatformService {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityService.class);
    static final String DEFAULT_TENANTS = "girlfanz,boyfanz,pupfanz,daddyfanz";
    private static final int POOL_SIZE = 8;

    private final ServiceDatabase database;
    private final SigningKeys signingKeys;
    private final Lockout lockout;
    private final ScheduledExecutorService maintenance;
    private final ServiceApp app;

    private IdentityService(ServiceDatabase database, SigningKeys signingKeys, Lockout lockout, ServiceApp app) {
        this.database = database;
        this.signingKeys = signingKeys;
        this.lockout = lockout;
        this.app = app;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "identity-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        maintenance.scheduleWithFixedDelay(this::maintainQuietly, 1, 1, TimeUnit.HOURS);
    }

    /** Opens the schema, bootstraps (see the class comment) and starts listening on {@code settings.port("identity")}. */
    public static IdentityService start(PlatformSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** As {@link #start(PlatformSettings)} with the clock tokens, lockouts and key ages are measured by. */
    static IdentityService start(PlatformSettings settings, Clock clock) {
        long ttl = settings.getLong("FANZ_TOKEN_TTL_SECONDS", Tokens.DEFAULT_TTL_SECONDS, Tokens.MIN_TTL_SECONDS,
            Tokens.MAX_TTL_SECONDS);
        int attempts = (int) settings.getLong("FANZ_IDENTITY_LOCKOUT_ATTEMPTS", 5, 1, 1000);
        Duration lockoutWindow = Duration.ofMinutes(settings.getLong("FANZ_IDENTITY_LOCKOUT_MINUTES", 15, 1, 24 * 60));
        Duration rotateAfter = Duration.ofDays(settings.getLong("FANZ_IDENTITY_KEY_ROTATE_DAYS", 30, 1, 365));
        Duration activateAfter = Duration.ofSeconds(settings.getLong("FANZ_IDENTITY_KEY_ACTIVATE_SECONDS", 60, 0, 3600));
        List<String> bootstrapTenants = bootstrapTenants(settings);
        Optional<String> adminEmail = settings.find("FANZ_IDENTITY_ADMIN_EMAIL").map(Accounts::normalEmail);
        Optional<String> adminPassword = settings.find("FANZ_IDENTITY_ADMIN_PASSWORD");
        if (adminEmail.isPresent() && adminPassword.isPresent()) {
            checkAdmin(adminEmail.get(), adminPassword.get());
        }
        URI publicUrl = settings.find("FANZ_IDENTITY_URL").map(URI::create).orElse(null);
        SecretsKey secrets = SecretsKey.load(settings);

        ServiceDatabase database = ServiceDatabase.open(settings.database(), PlatformSettings.IDENTITY, POOL_SIZE);
        try {
            Accounts accounts = new Accounts(database.dsl(), clock);
            List<String> made = accounts.ensureTenants(bootstrapTenants);
            if (!made.isEmpty()) {
                LOG.info("made the brands {}", made);
            }
            if (adminEmail.isPresent() && adminPassword.isPresent()) {
                Set<String> all = Set.copyOf(accounts.tenants().stream().map(Accounts.Tenant::slug).toList());
                accounts.ensurePlatformAdmin(adminEmail.get(), Passwords.hash(adminPassword.get()), all);
            }
            ServiceKeys serviceKeys = new ServiceKeys(database.dsl(), clock);
            serviceKeys.registerFromEnvironment(settings);
            SigningKeys signingKeys = new SigningKeys(database.dsl(), secrets, clock, rotateAfter, activateAfter);
            signingKeys.maintain();
            Lockout lockout = new Lockout(database.dsl(), clock, attempts, lockoutWindow);
            TokenVerifier verifier = new TokenVerifier(signingKeys.source(), settings.issuer());
            Tokens tokens = new Tokens(signingKeys, settings.issuer(), ttl, clock);
            TokenEndpoint tokenEndpoint = new TokenEndpoint(accounts, serviceKeys, lockout, tokens, verifier, clock);
            IdentityRoutes routes = new IdentityRoutes(accounts, serviceKeys, signingKeys, verifier, tokenEndpoint,
                settings.issuer(), publicUrl);
            ServiceApp app = new ServiceApp(PlatformSettings.IDENTITY, settings.host(),
                settings.port(PlatformSettings.IDENTITY), settings.maxBodyBytes(), routes::register).start();
            return new IdentityService(database, signingKeys, lockout, app);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public ServiceApp app() {
        return app;
    }

    /** The signing keys (tests count their reloads). */
    SigningKeys signingKeys() {
        return signingKeys;
    }

    /** The hourly work, now: rotates an old signing key, drops long-retired ones, forgets stale failures. */
    void maintain() {
        signingKeys.maintain();
        lockout.prune();
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        try {
            app.close();
        } finally {
            database.close();
        }
    }

    private void maintainQuietly() {
        try {
            maintain();
        } catch (RuntimeException e) {
            LOG.error("identity maintenance failed; it is tried again in an hour", e);
        }
    }

    private static List<String> bootstrapTenants(PlatformSettings settings) {
        List<String> slugs = new ArrayList<>();
        for (String slug : settings.get("FANZ_IDENTITY_BOOTSTRAP_TENANTS", DEFAULT_TENANTS).split(",")) {
            String trimmed = slug.trim().toLowerCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!Json.SLUG.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("FANZ_IDENTITY_BOOTSTRAP_TENANTS: '" + trimmed + "' is not a brand slug");
            }
            slugs.add(trimmed);
        }
        return slugs;
    }

    private static void checkAdmin(String email, String password) {
        if (email.length() > Accounts.EMAIL_MAX || !Accounts.EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException("FANZ_IDENTITY_ADMIN_EMAIL is not an email address");
        }
        try {
            Passwords.checkNew(password, email, null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("FANZ_IDENTITY_ADMIN_PASSWORD: " + e.getMessage());
        }
    }
}
