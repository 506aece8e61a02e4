package com.fanzfinance.server.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.ledger.journal.JournalCorruptException;
import com.fanzfinance.ledger.engine.DataDirectoryLock;
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
        @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines (like FANZ_CONFIG_FILE)")
        private Path configFile;

        @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: FANZ_DATA_DIR or ./data)")
        private Path dataDirectory;

        @Option(names = "--no-progress", description = "no progress bar")
        private boolean noProgress;

        @Override
        public Integer call() {
            ServerConfig config = Settings.load(configFile, dataDirectory);
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory())) {
                ProgressBar bar = new ProgressBar(System.err, System.console() != null, "batches");
                long started = System.nanoTime();
                ReadModelRebuild.Result result = ReadModelRebuild.run(config, bar.forReplay(!noProgress));
                if (!noProgress) {
                    bar.finish(result.replay().batches(), result.commands() + " commands");
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.println("commands:   " + result.commands());
                System.out.println("outcomes:   " + result.outcomes());
                System.out.println("position:   " + result.lastCommand());
                System.out.println("accounts:   " + result.replay().accounts());
                System.out.println("transfers:  " + result.replay().transfers());
                System.out.printf("took:       %.3f s (%.0f outcomes/s)%n", seconds, result.outcomes() / seconds);
                return 0;
            } catch (JournalCorruptException e) {
                System.err.println("fanz read-model rebuild: the journal is damaged: " + e.getMessage());
                return FanzCommand.FAILED;
            }
        }
    }
}
