package com.fanzfinance.payouts.ach;

/** A {@link NachaFileSpec} that cannot be written; the message names the offending field. */
public class NachaSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message names the field and says what is wrong with it */
    public NachaSpecException(String message) {
        super(message);
    }
}
