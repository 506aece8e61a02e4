package com.fanzfinance.platform.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fanzfinance.server.TestDatabase;

/**
 * The platform services' database in tests: the test PostgreSQL of the ledger's tests, with a schema prefix
 * no other test of this run uses, so each test class gets fresh {@code <prefix>identity}, {@code
 * <prefix>content}, … schemas; {@link #drop} removes them.
 */
public final class PlatformTestDatabase {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private PlatformTestDatabase() {
    }

    /** A fresh schema prefix such as {@code p1234_7_}. */
    public static String freshPrefix() {
        String prefix = "p" + ProcessHandle.current().pid() + "_" + PREFIXES.incrementAndGet() + "_";
        drop(prefix);
        return prefix;
    }

    /** The database settings for services using {@code prefix} (add ports, URLs and keys to them). */
    public static Map<String, String> settings(String prefix) {
        Map<String, String> settings = new HashMap<>();
        settings.put("FANZ_PLATFORM_DB_URL", TestDatabase.url());
        settings.put("FANZ_PLATFORM_SCHEMA_PREFIX", prefix);
        return settings;
    }

    /** Drops every service schema of {@code prefix}. */
    public static void drop(String prefix) {
        for (String service : new String[] {"identity", "content", "compliance", "media"}) {
            TestDatabase.dropSchema(prefix + service);
        }
    }
}
