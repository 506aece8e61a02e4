package com.fanzfinance.payouts.sepa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbanTest {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    @ParameterizedTest
    @ValueSource(strings = {"DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606",
        "NL91ABNA0417164300", "BG80BNBG96611020345678"})
    void knownValidIbans(String iban) {
        assertThat(Iban.problem(iban)).isEmpty();
        assertThat(Iban.isValid(iban)).isTrue();
    }

    @Test
    void thePhpSepaXmlDebtorIbanFailsBothTheBbanFormatAndMod97() {
        String fixture = "BG87200500001234567890";
        assertThat(Iban.problem(fixture)).hasValueSatisfying(p -> assertThat(p).contains("BBAN", "4!a4!n2!n8!c"));
        // the same digits with a valid BG BBAN shape still fail mod 97: both checks are needed
        assertThat(Iban.mod97(fixture.substring(4) + fixture.substring(0, 4))).isEqualTo(86);
        assertThat(Iban.problem("BG87BNBG96611020345678")).hasValueSatisfying(p -> assertThat(p).contains("mod 97"));
        assertThat(Iban.isValid(fixture)).isFalse();
    }

    @Test
    void spacesAndLowerCaseAreNormalisedAway() {
        assertThat(Iban.normalise(" de89 3704 0044\u00a00532 0130 00\t")).isEqualTo("DE89370400440532013000");
        assertThat(Iban.isValid("de89 3704 0044 0532 0130 00")).isTrue();
        assertThat(Iban.isValid("gb82 west 1234 5698 7654 32")).isTrue();
    }

    @Test
    void onlyAsciiLettersAreUpperCased() {
        assertThat(Iban.normalise("de\u0131")).isEqualTo("DE\u0131");
        assertThat(Iban.problem("DE89370400440532013\u01310")).hasValueSatisfying(p -> assertThat(p).contains("position 20"));
    }

    @Test
    void wrongLengthForTheCountry() {
        assertThat(Iban.problem("DE8937040044053201300")).hasValue("An IBAN for DE has 22 characters, not 21.");
        assertThat(Iban.problem("NL91ABNA04171643001")).hasValueSatisfying(p -> assertThat(p).contains("18", "19"));
    }

    @Test
    void unknownCountry() {
        assertThat(Iban.problem("US64SVBKUS6S3300958879")).hasValueSatisfying(p -> assertThat(p).contains("US"));
        assertThat(Iban.problem("ZZ00123")).hasValueSatisfying(p -> assertThat(p).contains("ZZ", "registry"));
    }

    @Test
    void badCharactersAndShapesAreNamed() {
        assertThat(Iban.problem(null)).isPresent();
        assertThat(Iban.problem("   ")).isPresent();
        assertThat(Iban.problem("DE89-3704")).hasValueSatisfying(p -> assertThat(p).contains("'-'", "position 5"));
        assertThat(Iban.problem("D189370400440532013000")).hasValueSatisfying(p -> assertThat(p).contains("two letters"));
        assertThat(Iban.problem("DEX9370400440532013000")).hasValueSatisfying(p -> assertThat(p).contains("check digits"));
    }

    @Test
    void bbanFormatIsChecked() {
        // a letter where DE has only digits, with check digits made to pass mod 97
        String iban = Iban.withCheckDigits("DE", "37040044053201300A");
        assertThat(Iban.mod97(iban.substring(4) + iban.substring(0, 4))).isEqualTo(1);
        assertThat(Iban.problem(iban)).hasValueSatisfying(p -> assertThat(p).contains("8!n10!n"));
    }

    @Test
    void withCheckDigitsGivesTheKnownIbans() {
        assertThat(Iban.withCheckDigits("DE", "370400440532013000")).isEqualTo("DE89370400440532013000");
        assertThat(Iban.withCheckDigits("GB", "WEST12345698765432")).isEqualTo("GB82WEST12345698765432");
        assertThat(Iban.withCheckDigits("fr", "2004 1010 0505 0001 3M02 606")).isEqualTo("FR1420041010050500013M02606");
        assertThat(Iban.withCheckDigits("BG", "BNBG96611020345678")).isEqualTo("BG80BNBG96611020345678");
        assertThatThrownBy(() -> Iban.withCheckDigits("D1", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Iban.withCheckDigits("DE", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countryCodeAndMask() {
        assertThat(Iban.countryCode("DE89370400440532013000")).isEqualTo("DE");
        assertThat(Iban.masked("de89 3704 0044 0532 0130 00")).isEqualTo("****3000");
        assertThat(Iban.masked("AB")).isEqualTo("****");
        assertThat(Iban.masked(null)).isEqualTo("****");
        assertThatThrownBy(() -> Iban.countryCode("D")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRegistryExampleIsValidAndEveryCountryHasOne() throws IOException {
        Map<String, String> examples = registryExamples();
        assertThat(examples).hasSizeGreaterThan(75);
        examples.forEach((country, iban) -> {
            assertThat(Iban.problem(iban)).as(iban).isEmpty();
            assertThat(Iban.countryCode(iban)).isEqualTo(country);
        });
        // countries of the table that the example list (an older registry release) lacks
        assertThat(IbanRegistry.countries().keySet()).containsAll(examples.keySet());
        assertThat(IbanRegistry.countries().keySet()).hasSize(examples.size() + 9);
    }

    @Test
    void sepaSchemeCountriesHaveTheirRegistryLengths() {
        Map<String, Integer> lengths = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AT", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("CH", 21),
            Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("EE", 20),
            Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GI", 23),
            Map.entry("GR", 27), Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IS", 26),
            Map.entry("IT", 27), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21),
            Map.entry("MC", 27), Map.entry("MT", 31), Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PL", 28),
            Map.entry("PT", 25), Map.entry("RO", 24), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24),
            Map.entry("SM", 27), Map.entry("VA", 22), Map.entry("AL", 28), Map.entry("ME", 22), Map.entry("MK", 19),
            Map.entry("MD", 24), Map.entry("RS", 22));
        lengths.forEach((country, length) ->
            assertThat(IbanRegistry.country(country)).as(country)
                .hasValueSatisfying(entry -> assertThat(entry.ibanLength()).isEqualTo(length)));
    }

    /**
     * ISO 7064 mod 97-10 catches every substitution of a digit by another digit, or a letter by another letter:
     * the number changes by (difference of 1..9 or 1..25) × 10^k, never a multiple of the prime 97.
     */
    @Property(tries = 400)
    void anySameKindSubstitutionIsCaught(@ForAll("validIbans") String iban, @ForAll("positions") double where,
                                         @ForAll("alphanumerics") char replacement) {
        int position = (int) (where * iban.length());
        char original = iban.charAt(position);
        if (replacement != original && Character.isDigit(replacement) == Character.isDigit(original)) {
            String changed = iban.substring(0, position) + replacement + iban.substring(position + 1);
            assertThat(Iban.isValid(changed)).as("%s -> %s", iban, changed).isFalse();
        }
    }

    /**
     * A letter for a digit (or back) changes the number's length, which mod 97 need not notice; where the
     * registry says the position is digits only ({@code n}) or letters only ({@code a}), the format does. In
     * {@code c} positions such a change can pass (about 1 in 97), which is the honest limit of an IBAN check.
     */
    @Property(tries = 400)
    void aKindChangingSubstitutionWhereTheFormatFixesTheKindIsCaught(@ForAll("validIbans") String iban,
                                                                      @ForAll("positions") double where,
                                                                      @ForAll("alphanumerics") char replacement) {
        int position = (int) (where * iban.length());
        char original = iban.charAt(position);
        char kind = kinds(iban).charAt(position);
        if (kind != 'c' && Character.isDigit(replacement) != Character.isDigit(original)) {
            String changed = iban.substring(0, position) + replacement + iban.substring(position + 1);
            assertThat(Iban.isValid(changed)).as("%s -> %s", iban, changed).isFalse();
        }
    }

    /**
     * A changed country letter may name another country whose format happens to fit, so only mod 97 can speak
     * for it: rearranged, the country letters are digit pairs of the number, and changing one letter (10..35)
     * changes a two-digit group by a non-multiple of 97, which mod 97 always notices.
     */
    @Property(tries = 300)
    void anySingleSubstitutionInTheCountryCodeFailsMod97(@ForAll("validIbans") String iban,
                                                          @ForAll("firstOrSecond") int position,
                                                          @ForAll("letters") char replacement) {
        char original = iban.charAt(position);
        String changed = iban.substring(0, position) + replacement + iban.substring(position + 1);
        if (replacement != original) {
            assertThat(Iban.mod97(changed.substring(4) + changed.substring(0, 4))).isNotEqualTo(1);
            assertThat(Iban.isValid(changed)).isFalse();
        }
    }

    @Property(tries = 200)
    void withCheckDigitsMakesValidIbansForEveryCountry(@ForAll("validIbans") String iban) {
        assertThat(Iban.withCheckDigits(iban.substring(0, 2), iban.substring(4))).isEqualTo(iban);
        assertThat(Iban.isValid(iban.toLowerCase(java.util.Locale.ROOT).replaceAll("(.{4})", "$1 "))).isTrue();
    }

    @Provide
    Arbitrary<String> validIbans() {
        List<IbanRegistry.Country> countries = List.copyOf(IbanRegistry.countries().values());
        return Arbitraries.of(countries).flatMap(IbanTest::ibanFor);
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
    }

    @Provide
    Arbitrary<Integer> firstOrSecond() {
        return Arbitraries.of(0, 1);
    }

    @Provide
    Arbitrary<Character> alphanumerics() {
        return Arbitraries.of(ALPHANUMERIC.chars().mapToObj(c -> (char) c).collect(Collectors.toList()));
    }

    @Provide
    Arbitrary<Character> letters() {
        return Arbitraries.chars().range('A', 'Z');
    }

    /** Per position of an IBAN of this country: n, a or c, as the registry format says. */
    private static String kinds(String iban) {
        var kinds = new StringBuilder("aann");
        var parts = java.util.regex.Pattern.compile("(\\d+)!([nac])")
            .matcher(IbanRegistry.country(iban.substring(0, 2)).orElseThrow().bbanFormat());
        while (parts.find()) {
            kinds.append(parts.group(2).repeat(Integer.parseInt(parts.group(1))));
        }
        return kinds.toString();
    }

    /** A random BBAN in the country's registry format, with correct check digits. */
    private static Arbitrary<String> ibanFor(IbanRegistry.Country country) {
        var parts = java.util.regex.Pattern.compile("(\\d+)!([nac])").matcher(country.bbanFormat());
        Arbitrary<String> bban = Arbitraries.just("");
        while (parts.find()) {
            int count = Integer.parseInt(parts.group(1));
            Arbitrary<String> part = partFor(parts.group(2).charAt(0), count);
            bban = Combinators.combine(bban, part).as(String::concat);
        }
        return bban.map(b -> Iban.withCheckDigits(country.code(), b));
    }

    private static Arbitrary<String> partFor(char kind, int count) {
        var chars = Arbitraries.strings().ofLength(count);
        switch (kind) {
            case 'n': return chars.numeric();
            case 'a': return chars.withCharRange('A', 'Z');
            default: return chars.withCharRange('A', 'Z').withCharRange('0', '9');
        }
    }

    private static Map<String, String> registryExamples() throws IOException {
        try (InputStream in = IbanTest.class.getResourceAsStream("/sepa/iban-registry-examples.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split(" "))
                .collect(Collectors.toMap(fields -> fields[0], fields -> fields[1]));
        }
    }
}
