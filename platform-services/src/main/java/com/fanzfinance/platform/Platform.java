package com.fanzfinance.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.embedded.EmbeddedDatabase;
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

    private final EmbeddedDatabase embedded;
    private final Map<String, AutoCloseable> running;
    private final Map<String, ServiceApp> apps;

    private Platform(EmbeddedDatabase embedded, Map<String, AutoCloseable> running, Map<String, ServiceApp> apps) {
        this.embedded = embedded;
        this.running = running;
        this.apps = apps;
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
            effective = settings.with(Map.of("FANZ_PLATFORM_DB_URL", embedded.jdbcUrl(),
                "FANZ_PLATFORM_DB_USER", EmbeddedDatabase.USER, "FANZ_PLATFORM_DB_PASSWORD", embedded.password()));
        }
        Map<String, AutoCloseable> running = new LinkedHashMap<>();
        Map<String, ServiceApp> apps = new LinkedHashMap<>();
        Platform platform = new Platform(embedded, running, apps);
        try {
            for (String service : SERVICES) {
                if (!services.contains(service)) {
                    continue;
                }
                long started = System.nanoTime();
                switch (service) {
                    case PlatformSettings.IDENTITY -> {
                        IdentityService identity = IdentityService.start(effective);
                        running.put(service, identity);
                        apps.put(service, identity.app());
                    }
                    case PlatformSettings.COMPLIANCE -> {
                        ComplianceService compliance = ComplianceService.start(effective);
                        running.put(service, compliance);
                        apps.put(service, compliance.app());
                    }
                    case PlatformSettings.MEDIA -> {
                        MediaService media = MediaService.start(effective);
                        running.put(service, media);
                        apps.put(service, media.app());
                    }
                    case PlatformSettings.CONTENT -> {
                        ContentService content = ContentService.start(effective);
                        running.put(service, content);
                        apps.put(service, content.app());
                    }
                    default -> throw new IllegalStateException(service);
                }
                int port = apps.get(service).port();
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
        ServiceApp app = apps.get(service);
        if (app == null) {
            throw new IllegalArgumentException(service + " is not running here");
        }
        return app.port();
    }

    public Map<String, ServiceApp> apps() {
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
