package com.fanzfinance.payouts.sepa;

/**
 * A {@link Pain001Spec} that cannot become a valid SEPA file. The message names the field first, e.g.
 * {@code transfers[3].creditorIban: The check digits are wrong: …}, so the caller can point at the payout.
 */
public class Pain001SpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** A problem with the spec; {@code message} starts with the field's name. */
    public Pain001SpecException(String message) {
        super(message);
    }
}
