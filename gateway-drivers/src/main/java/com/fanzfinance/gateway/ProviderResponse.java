package com.fanzfinance.gateway;

/** A processor API's answer: status and body text. */
public record ProviderResponse(int status, String body) {

    public ProviderResponse {
        body = body == null ? "" : body;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
