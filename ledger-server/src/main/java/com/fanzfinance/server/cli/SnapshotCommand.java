package com.fanzfinance.server.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.DataDirectoryLock;
import com.fanzfinance.server.DataDirectoryPermissions;
import com.fanzfinance.server.config.ServerConfig;

/** Takes a snapshot: through the running server, or with {@code --offline} by opening the data directory itself. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Take a snapshot now: asks the running server (admin key needed), or with --offline recovers the"
        + " data directory itself (server stopped) and snapshots it.")
final class SnapshotCommand implements Runnable {
    @Option(names = "--url", description = "server URL (default: http://FANZ_HTTP_HOST:FANZ_HTTP_PORT)")
    private String url;

    @Option(names = "--admin-key", description = "admin key (default: FANZ_ADMIN_KEY or <data>/admin.key)")
    private String adminKey;

    @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines (like FANZ_CONFIG_FILE)")
    private Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: FANZ_DATA_DIR or ./data)")
    private Path dataDirectory;

    @Option(names = "--offline", description = "work on the data directory directly; the server must be stopped")
    private boolean offline;

    @Override
    public void run() {
        ServerConfig config = Settings.load(configFile, dataDirectory);
        if (offline) {
            DataDirectoryPermissions.secure(config.dataDirectory());
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory())) {
                LedgerEngine engine = LedgerEngine.open(config.engine(), lock);
                try {
                    Path written = LedgerEngine.join(engine.snapshot());
                    System.out.println("snapshot: " + (written == null ? "(none written)" : written));
                } finally {
                    engine.close(false);
                }
            }
            return;
        }
        var response = AdminClient.of(url, adminKey, config).post("/v1/admin/snapshot", AdminClient.json().createObjectNode());
        System.out.println("snapshot: " + response.path("snapshot").asText());
    }
}
