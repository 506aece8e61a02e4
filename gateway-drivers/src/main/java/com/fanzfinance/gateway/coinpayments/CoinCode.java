package com.fanzfinance.gateway.coinpayments;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CoinPayments currency code: a fiat or coin code ({@code USD}, {@code BTC}, {@code LTCT}), or a token on a
 * network ({@code USDT.TRC20}, {@code USDC.ERC20}). The ledger keeps assets by token, so the code is the part before
 * the dot, upper case; the network is kept apart for a warning.
 *
 * @param code    the token or currency, upper case, e.g. {@code USDT}
 * @param network the network suffix, upper case, e.g. {@code TRC20}; empty for none
 */
record CoinCode(String code, Optional<String> network) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{2,12}(\\.[A-Za-z0-9]{1,16})?");

    static Optional<CoinCode> parse(String text) {
        if (text == null || !CODE.matcher(text.trim()).matches()) {
            return Optional.empty();
        }
        String upper = text.trim().toUpperCase(Locale.ROOT);
        int dot = upper.indexOf('.');
        return Optional.of(dot < 0 ? new CoinCode(upper, Optional.empty())
                : new CoinCode(upper.substring(0, dot), Optional.of(upper.substring(dot + 1))));
    }
}
