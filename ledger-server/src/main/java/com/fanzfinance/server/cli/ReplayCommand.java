package com.fanzfinance.server.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.JournalReplay;
import com.fanzfinance.ledger.journal.JournalCorruptException;
import com.fanzfinance.ledger.engine.DataDirectoryLock;
import com.fanzfinance.server.DataDirectoryPermissions;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Rebuilds the ledger from the journal alone, in memory, and prints the state hash — the same hash a
 * server holding that journal reports, so this is how a replica or a restore is checked. Reads only.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Rebuild the state from the journal alone (no snapshot), with a progress bar, and print its state"
        + " hash. Reads only; the server must be stopped (it holds the data directory).")
final class ReplayCommand implements java.util.concurrent.Callable<Integer> {
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
            StateMachineConfig machine = config.engine().stateMachine();
            ProgressBar bar = new ProgressBar(System.err, Terminal.isInteractive(), "batches");
            JournalReplay.Result result = JournalReplay.run(config.engine().journalDirectory(), machine,
                config.engine().batchBytesMax(), bar.forReplay(!noProgress));
            if (!noProgress) {
                bar.finish(result.batches(), result.commands() + " commands");
            }
            System.out.println("batches:    " + result.batches());
            System.out.println("commands:   " + result.commands());
            System.out.println("accounts:   " + result.accounts());
            System.out.println("transfers:  " + result.transfers());
            System.out.println("head hash:  " + result.journalHeadHash());
            System.out.println("state hash: " + result.stateHash());
            System.out.printf("took:       %.3f s%n", result.nanos() / 1e9);
            if (result.tornTail()) {
                System.out.println("note:       the last batch is torn and was not replayed (never acknowledged)");
            }
            return 0;
        } catch (JournalCorruptException e) {
            System.err.println("fanz replay: the journal is damaged: " + e.getMessage());
            return FanzCommand.FAILED;
        }
    }
}
