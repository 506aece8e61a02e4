package com.fanzfinance.server.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.ledger.journal.JournalCorruptException;
import com.fanzfinance.ledger.journal.JournalVerifier;
import com.fanzfinance.server.config.ServerConfig;

/** Checks the whole journal: framing, CRC-32C, batch and command numbering, and the SHA-256 hash chain. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check the journal's integrity (CRC, numbering, hash chain) and print its head hash."
        + " Safe while the server runs.")
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines (like FANZ_CONFIG_FILE)")
    private Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: FANZ_DATA_DIR or ./data)")
    private Path dataDirectory;

    @Override
    public Integer call() {
        ServerConfig config = Settings.load(configFile, dataDirectory);
        Path journal = config.engine().journalDirectory();
        try {
            JournalVerifier.Report report = JournalVerifier.verify(journal, config.engine().batchBytesMax());
            System.out.println("journal:   " + journal.toAbsolutePath());
            System.out.println("batches:   " + report.batches());
            System.out.println("commands:  " + report.commands());
            System.out.println("head hash: " + report.headHash());
            if (report.tornIndex() >= 0) {
                System.out.println("note:      the last batch is torn (an interrupted write, never acknowledged);"
                    + " the server cuts it on its next start");
            }
            System.out.println("verified:  ok");
            return 0;
        } catch (JournalCorruptException e) {
            System.err.println("fanz verify: the journal is damaged: " + e.getMessage());
            return FanzCommand.FAILED;
        }
    }
}
