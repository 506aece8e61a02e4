package com.fanzfinance.reconciliation;

/**
 * A statement file that cannot be read as its format: the message says what is wrong in words a finance user
 * can act on, {@code line} where (the file's line number, 1 for the header of a CSV; {@code 0} when it is the
 * file as a whole) and {@code pointer} a JSON-pointer-like location ({@code /lines/12/amount},
 * {@code /entries/3/Amt}) for problem documents.
 */
public final class StatementFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long line;
    private final String pointer;

    public StatementFormatException(String message, long line, String pointer) {
        super(message);
        this.line = line;
        this.pointer = pointer;
    }

    public long line() {
        return line;
    }

    public String pointer() {
        return pointer;
    }
}
