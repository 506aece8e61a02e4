package com.fanzfinance.server.cli;

import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.server.LedgerServer;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Runs the server until SIGTERM or SIGINT, then shuts it down gracefully (drain, snapshot, close) on
 * this thread and returns, so that {@code fanz} exits 0: a requested stop is a success. Any other way
 * the JVM ends (SIGHUP, an exit elsewhere) still closes it, through a shutdown hook, with the JVM's exit
 * status.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the ledger server (settings from FANZ_* environment variables; see 'fanz config').")
final class ServeCommand implements Runnable {
    @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines (like FANZ_CONFIG_FILE)")
    private Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (overrides FANZ_DATA_DIR)")
    private Path dataDirectory;

    /**
     * Starts, then shuts down cleanly at once: the launcher runs this once per build and JDK to record the
     * classes a start loads into a class-data-sharing archive (see the {@code fanz} script).
     */
    @Option(names = "--exit-when-started", hidden = true)
    private boolean exitWhenStarted;

    @Override
    public void run() {
        ServerConfig config = Settings.load(configFile, dataDirectory);
        // Read by logback.xml when logging starts, which is after this point (nothing has logged yet, and
        // nothing here may hold a logger in a static field).
        System.setProperty(LogFormatDefiner.SETTING, config.logFormat());
        System.setProperty("FANZ_LOG_LEVEL", config.logLevel());
        // The logging starts here, on this thread (a second thread starting it at the same time would have its
        // lines queued and a warning printed); then the warm-up, whose classes log.
        LoggerFactory.getILoggerFactory();
        StartupWarmUp.start();
        // Before starting, so that no signal falls between "ready" and the handlers; one that comes while
        // starting is acted on once the server is up.
        StopSignals signals = StopSignals.install();
        LedgerServer server = LedgerServer.start(config);
        // Closing is idempotent and synchronized: a hook that runs while this thread closes waits for it.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fanz-shutdown"));
        if (exitWhenStarted) {
            server.close();
            return;
        }
        try {
            signals.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        LoggerFactory.getLogger(ServeCommand.class).info("shut down cleanly");
    }
}
