package com.fanzfinance.server.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.server.LedgerServer;
import com.fanzfinance.server.config.ServerConfig;

/** Runs the server until SIGTERM or SIGINT, then shuts it down gracefully (drain, snapshot, close). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the ledger server (settings from FANZ_* environment variables; see 'fanz config').")
final class ServeCommand implements Runnable {
    @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines (like FANZ_CONFIG_FILE)")
    private Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (overrides FANZ_DATA_DIR)")
    private Path dataDirectory;

    @Override
    public void run() {
        ServerConfig config = Settings.load(configFile, dataDirectory);
        // Read by logback.xml when logging starts, which is after this point (nothing has logged yet).
        System.setProperty("FANZ_LOG_FORMAT", config.logFormat());
        System.setProperty("FANZ_LOG_LEVEL", config.logLevel());
        LedgerServer server = LedgerServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                stopped.countDown();
            }
        }, "fanz-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
