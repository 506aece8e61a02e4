package com.fanzfinance.server.cli;

import java.nio.file.Path;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.ledger.journal.JournalCorruptException;
import com.fanzfinance.ledger.engine.DataDirectoryLock;
import com.fanzfinance.server.DataDirectoryPermissions;
import com.fanzfinance.server.config.ServerConfig;
import com.fanzfinance.server.readmodel.ReadModelRebuild;

/** {@code fanz read-model rebuild}: drop the read model and project it again from the journal. */
@Command(name = "read-model", mixinStandardHelpOptions = true, description = "Manage the PostgreSQL read model.",
    subcommands = ReadModelCommand.Rebuild.class)
final class ReadModelCommand {
    @Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Delete every row of the read model (FANZ_DB_URL, or the embedded PostgreSQL under the data"
            + " directory; schema FANZ_DB_SCHEMA) and project it again by replaying the journal, with a progress bar."
            + " The server must be stopped (it holds the data directory).")
    static final class Rebuild implements java.util.concurrent.Callable<Integer> {
        /** A rate measured over less than this says nothing (start-up noise, a few transfers). */
        private static final double RATE_SECONDS_MIN = 1.0;

        @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines (like FANZ_CONFIG_FILE)")
        private Path configFile;

        @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: FANZ_DATA_DIR or ./data)")
        private Path dataDirectory;

        @Option(names = "--no-progress", description = "no progress bar")
        private boolean noProgress;

        @Override
        public Integer call() {
            ServerConfig config = Settings.load(configFile, dataDirectory);
            DataDirectoryPermissions.secure(config.dataDirectory());
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory())) {
                ProgressBar bar = new ProgressBar(System.err, Terminal.isInteractive(), "batches");
                ReadModelRebuild.Result result = ReadModelRebuild.run(config, bar.forReplay(!noProgress));
                if (!noProgress) {
                    bar.finish(result.replay().batches(), result.commands() + " commands");
                }
                report(result);
                return 0;
            } catch (JournalCorruptException e) {
                System.err.println("fanz read-model rebuild: the journal is damaged: " + e.getMessage());
                return FanzCommand.FAILED;
            }
        }

        /** What a user wants to know: what was projected, how far, how long it took, and how fast it wrote. */
        private static void report(ReadModelRebuild.Result result) {
            System.out.printf(Locale.ROOT, "rebuilt the read model from the journal, up to command %,d%n", result.lastCommand());
            System.out.printf(Locale.ROOT, "commands:   %,d%n", result.commands());
            System.out.printf(Locale.ROOT, "accounts:   %,d%n", result.accounts());
            System.out.printf(Locale.ROOT, "transfers:  %,d%n", result.transfers());
            double projecting = result.projectingNanos() / 1e9;
            System.out.printf(Locale.ROOT, "took:       %.1f s projecting (%.1f s of it building indexes), after %.1f s"
                + " opening and migrating the database%n", projecting, result.indexingNanos() / 1e9, result.preparingNanos() / 1e9);
            if (projecting >= RATE_SECONDS_MIN) {
                System.out.printf(Locale.ROOT, "rate:       %,.0f transfers/s%n", result.transfersPerSecond());
            }
        }
    }
}
