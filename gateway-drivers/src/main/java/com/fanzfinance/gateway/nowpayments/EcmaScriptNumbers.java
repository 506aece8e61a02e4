package com.fanzfinance.gateway.nowpayments;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript's {@code Number::toString} (ECMA-262 §6.1.6.1.20), the text {@code JSON.stringify} writes for a
 * number. NOWPayments signs what its Node.js code serialises, so re-building a signed body means turning each
 * JSON number into the IEEE-754 double {@code JSON.parse} makes of it and printing that double as JavaScript does:
 * the fewest significant digits that read back as the same double, plain from 1e-6 up to below 1e21 and in
 * exponent form ({@code 1e-7}, {@code 1e+21}) outside that range.
 *
 * <p>The double here only reproduces JavaScript's text for the signature check; amounts are never read
 * through it.
 */
final class EcmaScriptNumbers {

    /** Up to 17 significant digits always identify a double. */
    private static final int MAX_DIGITS = 17;

    private EcmaScriptNumbers() {
    }

    /**
     * What {@code JSON.stringify(JSON.parse(lexeme))} writes for a JSON number lexeme (e.g. {@code 20.0},
     * {@code 2E-7}): {@code null} for one beyond the doubles' range, else JavaScript's {@code String(value)}.
     */
    static String jsonText(String lexeme) {
        double value = Double.parseDouble(lexeme);
        return Double.isInfinite(value) ? "null" : format(value);
    }

    /** JavaScript's {@code String(value)} for a finite double. */
    private static String format(double value) {
        if (value == 0) {
            return "0";
        }
        if (value < 0) {
            return "-" + format(-value);
        }
        BigDecimal shortest = shortestDigits(value).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale();
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        int exponent = n - 1;
        String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code value}; among those of that length
     * the closest to {@code value}, and of two equally close the one with an even last digit. Both neighbours are
     * tried because near a power of two the doubles below are closer together than those above.
     */
    private static BigDecimal shortestDigits(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 1; digits <= MAX_DIGITS; digits++) {
            BigDecimal below = exact.round(new MathContext(digits, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(digits, RoundingMode.CEILING));
            boolean belowReads = readsAs(below, value);
            boolean aboveReads = readsAs(above, value);
            if (belowReads && aboveReads) {
                return closer(exact, below, above);
            }
            if (belowReads) {
                return below;
            }
            if (aboveReads) {
                return above;
            }
        }
        throw new IllegalStateException("no " + MAX_DIGITS + "-digit decimal reads back as " + value);
    }

    private static boolean readsAs(BigDecimal decimal, double value) {
        return Double.parseDouble(decimal.toString()) == value;
    }

    private static BigDecimal closer(BigDecimal exact, BigDecimal below, BigDecimal above) {
        int comparison = exact.subtract(below).compareTo(above.subtract(exact));
        if (comparison != 0) {
            return comparison < 0 ? below : above;
        }
        return below.unscaledValue().testBit(0) ? above : below;
    }
}
