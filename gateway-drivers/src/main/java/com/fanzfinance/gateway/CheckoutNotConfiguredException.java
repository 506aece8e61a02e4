package com.fanzfinance.gateway;

/** The merchant account lacks a setting or secret needed to build a checkout (422 checkout-not-configured). */
public final class CheckoutNotConfiguredException extends RuntimeException {

    public CheckoutNotConfiguredException(String message) {
        super(message);
    }
}
