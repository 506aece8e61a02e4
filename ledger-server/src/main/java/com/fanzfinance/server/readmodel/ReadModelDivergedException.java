package com.fanzfinance.server.readmodel;

/**
 * The read model cannot go on from where it stands. Mostly because it holds commands the ledger does not:
 * its position is past the end of the ledger's event stream, or the command at its position is another
 * one than the ledger's. The ledger lost commands the
 * read model had projected (a data directory restored from an older copy, a power cut under
 * {@code FANZ_DURABILITY=os}), or the schema belongs to another data directory. Retrying cannot mend it:
 * projection stops and reports are refused until the read model is rebuilt from the journal. (Rarely,
 * the event stream is damaged instead; the message then says how to have it written again.)
 */
public final class ReadModelDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String REMEDY = " Reports are refused until it is rebuilt from the journal: stop the server"
        + " and run `fanz read-model rebuild` (same data directory and FANZ_DB_URL / FANZ_DB_SCHEMA).";

    private ReadModelDivergedException(String message) {
        super(message);
    }

    private ReadModelDivergedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The read model's position is past the last command in the ledger's event stream. */
    static ReadModelDivergedException ahead(long readModelCommand, long ledgerLastCommand) {
        return new ReadModelDivergedException("the read model holds commands up to " + readModelCommand
            + " but the ledger's event stream ends at command " + ledgerLastCommand + ": the ledger has lost commands"
            + " the read model had projected (a data directory restored from an older copy, or a power cut with"
            + " FANZ_DURABILITY=os), or this schema belongs to another data directory." + REMEDY);
    }

    /** The command at the read model's position has another timestamp in the ledger: it is another command. */
    static ReadModelDivergedException otherCommand(long command, long readModelTimestamp, long ledgerTimestamp) {
        return new ReadModelDivergedException("command " + command + " in the read model (ledger timestamp "
            + readModelTimestamp + ") is not the ledger's command " + command + " (timestamp " + ledgerTimestamp
            + "): the ledger lost commands the read model had projected and has since taken others, or this schema"
            + " belongs to another data directory." + REMEDY);
    }

    /** The event stream reaches past the read model's command but does not hold it: the stream is damaged. */
    static ReadModelDivergedException damagedStream(long command, long ledgerLastCommand, Throwable cause) {
        return new ReadModelDivergedException("the ledger's event stream reaches command " + ledgerLastCommand
            + " but does not hold command " + command + ", where the read model stands (" + cause.getMessage()
            + "): the stream is damaged. Stop the server and move <data>/events away (recovery writes it again"
            + " from the journal), then start it again; if that does not mend it, rebuild the read model with"
            + " `fanz read-model rebuild`.", cause);
    }
}
