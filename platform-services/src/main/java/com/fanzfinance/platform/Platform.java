package com.fanzfinance.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.embedded.EmbeddedDatabase;
import com.fanzfinance.platform.common.PlatformService;
import com.fanzfinance.platform.common.ServiceApp;
import com.fanzfinance.platform.compliance.ComplianceService;
import com.fanzfinance.platform.content.ContentService;
import com.fanzfinance.platform.identity.IdentityService;
import com.fanzfinance.platform.media.MediaService;

/**
 * Some or all of the four platform services in one process, started in dependency order (identity first:
 * the others check its tokens and take their service tokens from it) and stopped in reverse; a service
 * whose {@code FANZ_<SERVICE>_URL} is not set is reached by the later ones on the port it got. Without
 * {@code FANZ_PLATFORM_DB_URL} they share an embedded PostgreSQL under {@code <FANZ_PLATFORM_DATA>/postgres}
 * (each in its own schema), so one command runs them on a fresh machine.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    /** Every service, in start order. */
    public static final List<String> SERVICES = List.of(PlatformSettings.IDENTITY, PlatformSettings.COMPLIANCE,
        PlatformSettings.MEDIA, PlatformSettings.CONTENT);

    /** How each service starts, by name. */
    private static final Map<String, Function<PlatformSettings, PlatformService>> STARTERS = Map.of(
        PlatformSettings.IDENTITY, IdentityService::start, PlatformSettings.COMPLIANCE, ComplianceService::start,
        PlatformSettings.MEDIA, MediaService::start, PlatformSettings.CONTENT, ContentService::start);

    private final EmbeddedDatabase embedded;
    /** The services started, in start order. */
    private final Map<String, PlatformService> running = new LinkedHashMap<>();

    private Platform(EmbeddedDatabase embedded) {
        this.embedded = embedded;
    }

    /** Starts {@code services} (a subset of {@link #SERVICES}) with {@code settings}. */
    public static Platform start(PlatformSettings settings, Set<String> services) {
        for (String service : services) {
            if (!SERVICES.contains(service)) {
                throw new IllegalArgumentException("unknown service '" + service + "'; the services are " + SERVICES);
            }
        }
        EmbeddedDatabase embedded = null;
        PlatformSettings effective = settings;
        if (settings.find("FANZ_PLATFORM_DB_URL").isEmpty()) {
            // Stopped by close(), last: the JVM's own exit must not stop it under services still shutting down.
            embedded = EmbeddedDatabase.start(settings.dataDirectory(), false);
            effective = settings.withDatabase(embedded);
        }
        Platform platform = new Platform(embedded);
        try {
            for (String service : SERVICES) {
                if (!services.contains(service)) {
                    continue;
                }
                long started = System.nanoTime();
                platform.running.put(service, STARTERS.get(service).apply(effective));
                int port = platform.running.get(service).app().port();
                LOG.info("{} is up on port {} (started in {} ms)", service, port, (System.nanoTime() - started) / 1_000_000);
                String url = "FANZ_" + service.toUpperCase(java.util.Locale.ROOT) + "_URL";
                if (effective.find(url).isEmpty()) {
                    effective = effective.with(Map.of(url, "http://127.0.0.1:" + port));
                }
            }
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** The port {@code service} listens on. */
    public int port(String service) {
        PlatformService running = this.running.get(service);
        if (running == null) {
            throw new IllegalArgumentException(service + " is not running here");
        }
        return running.app().port();
    }

    /** The running services' HTTP sides, in start order. */
    public Map<String, ServiceApp> apps() {
        Map<String, ServiceApp> apps = new LinkedHashMap<>();
        running.forEach((name, service) -> apps.put(name, service.app()));
        return Collections.unmodifiableMap(apps);
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(running.keySet());
        Collections.reverse(names);
        for (String name : names) {
            try {
                running.get(name).close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", name, e.toString());
            }
        }
        running.clear();
        if (embedded != null) {
            embedded.close();
        }
    }
}
