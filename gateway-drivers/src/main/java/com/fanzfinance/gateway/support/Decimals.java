package com.fanzfinance.gateway.support;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict reading of processors' decimal amounts: plain digits, an optional point, no sign, no exponent. */
public final class Decimals {

    private static final Pattern PLAIN = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1,18})?");

    private Decimals() {
    }

    /** The amount, when {@code text} is a plain non-negative decimal such as {@code 9.99} or {@code 20}. */
    public static Optional<BigDecimal> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        if (!PLAIN.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(trimmed));
    }

    /** Like {@link #parse} but also accepts a leading minus, returning the absolute value. */
    public static Optional<BigDecimal> parseAbsolute(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        return parse(trimmed.startsWith("-") ? trimmed.substring(1) : trimmed);
    }
}
