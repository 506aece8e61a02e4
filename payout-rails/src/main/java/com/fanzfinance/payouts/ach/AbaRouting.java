package com.fanzfinance.payouts.ach;

/**
 * ABA routing transit numbers: the 3-7-1 check digit.
 *
 * <p>The ninth digit of a routing number is chosen so that
 * {@code 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9)} is a multiple of 10.
 */
public final class AbaRouting {

    private static final int[] WEIGHTS = {3, 7, 1, 3, 7, 1, 3, 7};

    private AbaRouting() {
    }

    /**
     * Whether {@code nineDigits} is a routing number: exactly nine ASCII digits whose last digit is
     * the check digit of the first eight. {@code null} is not valid.
     */
    public static boolean isValid(String nineDigits) {
        if (nineDigits == null || nineDigits.length() != 9 || !isAsciiDigits(nineDigits)) {
            return false;
        }
        return checkDigit(nineDigits.substring(0, 8)) == nineDigits.charAt(8) - '0';
    }

    /**
     * The check digit of an 8-digit routing prefix: {@code (10 − Σ dᵢ·wᵢ mod 10) mod 10} with
     * weights 3 7 1 3 7 1 3 7.
     *
     * @throws IllegalArgumentException unless {@code eightDigits} is exactly eight ASCII digits
     */
    public static int checkDigit(String eightDigits) {
        if (eightDigits == null || eightDigits.length() != 8 || !isAsciiDigits(eightDigits)) {
            throw new IllegalArgumentException("a routing prefix is 8 ASCII digits: " + eightDigits);
        }
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += (eightDigits.charAt(i) - '0') * WEIGHTS[i];
        }
        return (10 - sum % 10) % 10;
    }

    static boolean isAsciiDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
