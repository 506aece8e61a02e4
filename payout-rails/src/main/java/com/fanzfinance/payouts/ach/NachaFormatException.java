package com.fanzfinance.payouts.ach;

/** A NACHA file that {@link NachaReader} rejects, with the 1-based line number of the offending record. */
public class NachaFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * @param line    the 1-based line number of the record at fault
     * @param message what is wrong
     */
    public NachaFormatException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    /** The 1-based line number of the record at fault. */
    public int line() {
        return line;
    }
}
