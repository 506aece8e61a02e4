package com.fanzfinance.payouts.sepa;

import java.util.Optional;

/**
 * International Bank Account Numbers (ISO 13616): normalising, checking and masking.
 *
 * <p>An IBAN is valid here when, after {@link #normalise(String)}, it has only {@code A-Z 0-9}, starts with a
 * country code known to the SWIFT IBAN registry (see {@link IbanRegistry} for the table and where it came
 * from) and two check digits, has that country's length and BBAN format, and passes ISO 7064 mod 97-10 (the
 * number formed by moving the first four characters to the end and writing letters as 10..35 is 1 modulo 97).
 * The XSD's own IBAN pattern is much weaker: it accepts any two letters, two digits and up to 30 characters.
 */
public final class Iban {

    private static final String MASK = "****";

    private Iban() {}

    /**
     * Removes spaces (and any other whitespace, including no-break spaces, as in the printed
     * {@code DE89 3704 0044 …} form) and upper-cases {@code a-z}. Other characters are kept as they are, so
     * that {@link #problem(String)} can name them (a Unicode upper-casing would turn e.g. {@code ı} into
     * {@code I} and let it pass).
     *
     * @throws NullPointerException if {@code iban} is null
     */
    public static String normalise(String iban) {
        var out = new StringBuilder(iban.length());
        iban.codePoints()
            .filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c))
            .map(c -> c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c)
            .forEach(out::appendCodePoint);
        return out.toString();
    }

    /**
     * Empty when valid; else one sentence saying why (characters, unknown country, length for country, BBAN
     * format, mod 97), checked in that order. Input is normalised first; null is a problem, not an exception.
     */
    public static Optional<String> problem(String iban) {
        if (iban == null) {
            return Optional.of("The IBAN is missing.");
        }
        String normalised = normalise(iban);
        if (normalised.isEmpty()) {
            return Optional.of("The IBAN is empty.");
        }
        return characterProblem(normalised)
            .or(() -> registryProblem(normalised))
            .or(() -> checksumProblem(normalised));
    }

    /** True when {@link #problem(String)} finds nothing. */
    public static boolean isValid(String iban) {
        return problem(iban).isEmpty();
    }

    /**
     * The first two characters: the ISO 3166 country code of a normalised IBAN. No check beyond the length.
     *
     * @throws IllegalArgumentException if shorter than two characters
     */
    public static String countryCode(String normalisedIban) {
        if (normalisedIban == null || normalisedIban.length() < 2) {
            throw new IllegalArgumentException("an IBAN starts with a two-letter country code");
        }
        return normalisedIban.substring(0, 2);
    }

    /**
     * The whole IBAN for a country and a BBAN: {@code countryCode + checkDigits + bban}, with check digits
     * {@code 98 − (BBAN + country + "00" as a number) mod 97}, zero-padded (for tests and examples). Both are
     * normalised; the BBAN's format for the country is not checked, so the result may still be invalid.
     *
     * @throws IllegalArgumentException if the country is not two letters or the BBAN is not 1–30 of A-Z 0-9
     */
    public static String withCheckDigits(String countryCode, String bban) {
        String country = normalise(countryCode);
        String account = normalise(bban);
        if (!country.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("country code must be two letters: " + countryCode);
        }
        if (!account.matches("[A-Z0-9]{1,30}")) {
            throw new IllegalArgumentException("a BBAN is 1 to 30 letters or digits: " + bban);
        }
        int check = 98 - mod97(account + country + "00");
        return country + (check < 10 ? "0" : "") + check + account;
    }

    /** {@code "****"} and the last four characters of the normalised IBAN ({@code "****"} alone if shorter). */
    public static String masked(String iban) {
        String normalised = iban == null ? "" : normalise(iban);
        return normalised.length() < 4 ? MASK : MASK + normalised.substring(normalised.length() - 4);
    }

    private static Optional<String> characterProblem(String iban) {
        for (int i = 0; i < iban.length(); i++) {
            char c = iban.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return Optional.of("The IBAN may hold only letters A-Z and digits, not '"
                    + printable(iban.codePointAt(i)) + "' at position " + (i + 1) + ".");
            }
        }
        if (!iban.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]*")) {
            return Optional.of("An IBAN starts with two letters (the country) and two check digits.");
        }
        return Optional.empty();
    }

    private static Optional<String> registryProblem(String iban) {
        String code = countryCode(iban);
        var country = IbanRegistry.country(code);
        if (country.isEmpty()) {
            return Optional.of("The country code " + code + " has no IBAN format in the SWIFT IBAN registry.");
        }
        var entry = country.get();
        if (iban.length() != entry.ibanLength()) {
            return Optional.of("An IBAN for " + code + " has " + entry.ibanLength() + " characters, not "
                + iban.length() + ".");
        }
        if (!entry.bbanPattern().matcher(iban.substring(4)).matches()) {
            return Optional.of("The account part (BBAN) does not have the format " + entry.bbanFormat()
                + " of " + code + " (n digits, a letters, c letters or digits).");
        }
        return Optional.empty();
    }

    private static Optional<String> checksumProblem(String iban) {
        int remainder = mod97(iban.substring(4) + iban.substring(0, 4));
        return remainder == 1
            ? Optional.empty()
            : Optional.of("The check digits are wrong: mod 97 gives " + remainder + ", not 1 (a typing error?).");
    }

    /** The ISO 7064 remainder of A-Z 0-9 text read as a number, letters as 10..35, one digit at a time. */
    static int mod97(String alphanumeric) {
        int remainder = 0;
        for (int i = 0; i < alphanumeric.length(); i++) {
            int value = Character.digit(alphanumeric.charAt(i), 36);
            remainder = (value < 10 ? remainder * 10 : remainder * 100) + value;
            remainder %= 97;
        }
        return remainder;
    }

    private static String printable(int codePoint) {
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
            ? String.format("U+%04X", codePoint)
            : new String(Character.toChars(codePoint));
    }
}
