package com.fanzfinance.payouts.sepa;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Business Identifier Codes (ISO 9362, "SWIFT codes"), checked as the pain.001.001.03 schema's
 * {@code BICIdentifier} does: {@code [A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}}, i.e. 4 letters
 * (institution), 2 letters (an ISO 3166 country), 2 letters or digits (location; the first not 0 or 1, the
 * second not the letter O, which marks test BICs), and an optional 3-character branch. That pattern is
 * stricter than the .09 schema's {@code BICFIDec2014Identifier}, so a BIC valid here suits both versions.
 *
 * <p>No normalising: BICs are upper-case in pain.001, and a lower-case or spaced one is reported, not fixed.
 */
public final class Bic {

    private static final Pattern XSD_PATTERN =
        Pattern.compile("[A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}");

    /** ISO 3166-1 alpha-2 as the JDK knows it, plus XK (Kosovo), which SWIFT uses. */
    private static final Set<String> COUNTRIES = countries();

    private Bic() {}

    /** True when {@link #problem(String)} finds nothing. */
    public static boolean isValid(String bic) {
        return problem(bic).isEmpty();
    }

    /** Empty when valid; else one sentence saying why (missing, length, characters, country). */
    public static Optional<String> problem(String bic) {
        if (bic == null || bic.isEmpty()) {
            return Optional.of("The BIC is missing.");
        }
        if (bic.length() != 8 && bic.length() != 11) {
            return Optional.of("A BIC has 8 or 11 characters, not " + bic.length() + ".");
        }
        if (!XSD_PATTERN.matcher(bic).matches()) {
            return Optional.of("A BIC is 6 capital letters (bank and country), 2 capital letters or digits"
                + " (location, not ending in O) and optionally 3 more (branch).");
        }
        String country = bic.substring(4, 6);
        if (!COUNTRIES.contains(country)) {
            return Optional.of("The BIC's country " + country + " is not an ISO 3166 country code.");
        }
        return Optional.empty();
    }

    private static Set<String> countries() {
        var codes = new java.util.HashSet<>(Set.of(Locale.getISOCountries()));
        codes.add("XK");
        return Set.copyOf(codes);
    }
}
