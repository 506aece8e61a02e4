package com.fanzfinance.gateway;

/** A processor's API answered something a driver cannot use (502 provider-error). Never holds a secret. */
public final class ProviderAnswerException extends RuntimeException {

    public ProviderAnswerException(String message) {
        super(message);
    }
}
