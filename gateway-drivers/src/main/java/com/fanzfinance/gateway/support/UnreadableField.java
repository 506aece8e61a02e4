package com.fanzfinance.gateway.support;

/**
 * Thrown inside a driver's normaliser when a verified notification lacks a field it needs or has one it cannot
 * read; the normaliser turns it into {@code Normalised.Malformed} naming the field. Carries no stack trace: it is
 * control flow, not a defect.
 */
public final class UnreadableField extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreadableField(String message) {
        super(message, null, false, false);
    }
}
