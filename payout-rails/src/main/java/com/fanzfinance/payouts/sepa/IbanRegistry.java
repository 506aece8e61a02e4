package com.fanzfinance.payouts.sepa;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The country part of the SWIFT IBAN registry: for each country, the BBAN format in the registry's notation
 * ({@code n} digits, {@code a} upper-case letters, {@code c} letters or digits, {@code 4!} exactly four), and
 * from it the IBAN length and a pattern for the BBAN.
 *
 * <p>Source of the table: the SWIFT IBAN Registry, release 93 (February 2023), as transcribed in
 * Business::IBAN::Validator's {@code Business/IBAN/Database.pm} (CPAN, Abe Timmerman), cross-checked against
 * iban4j's {@code org.iban4j.bban.BbanStructure} (Apache-2.0) and python-stdnum's {@code stdnum/iban.dat}
 * (which also gives Kosovo, {@code XK}). The registry's example IBAN of every country is a test
 * ({@code src/test/resources/sepa/iban-registry-examples.txt}). Territories that use a parent's IBAN country
 * code (e.g. French overseas departments under {@code FR}, Åland under {@code FI}) need no entry of their own.
 * The registry's {@code c} also allows lower-case letters; this table is applied to normalised (upper-case)
 * IBANs, so {@code c} is {@code [A-Z0-9]} here.
 */
final class IbanRegistry {

    private static final String TABLE = String.join(" ",
        "AD:4!n4!n12!c AE:3!n16!n AL:8!n16!c AT:5!n11!n AZ:4!a20!c BA:3!n3!n8!n2!n BE:3!n7!n2!n",
        "BG:4!a4!n2!n8!c BH:4!a14!c BI:5!n5!n11!n2!n BR:8!n5!n10!n1!a1!c BY:4!c4!n16!c CH:5!n12!c",
        "CR:4!n14!n CY:3!n5!n16!c CZ:4!n6!n10!n DE:8!n10!n DJ:5!n5!n11!n2!n DK:4!n9!n1!n DO:4!c20!n",
        "EE:2!n2!n11!n1!n EG:4!n4!n17!n ES:4!n4!n1!n1!n10!n FI:3!n11!n FK:2!a12!n FO:4!n9!n1!n",
        "FR:5!n5!n11!c2!n GB:4!a6!n8!n GE:2!a16!n GI:4!a15!c GL:4!n9!n1!n GR:3!n4!n16!c GT:4!c20!c",
        "HR:7!n10!n HU:3!n4!n1!n15!n1!n IE:4!a6!n8!n IL:3!n3!n13!n IQ:4!a3!n12!n IS:4!n2!n6!n10!n",
        "IT:1!a5!n5!n12!c JO:4!a4!n18!c KW:4!a22!c KZ:3!n13!c LB:4!n20!c LC:4!a24!c LI:5!n12!c",
        "LT:5!n11!n LU:3!n13!c LV:4!a13!c LY:3!n3!n15!n MC:5!n5!n11!c2!n MD:2!c18!c ME:3!n13!n2!n",
        "MK:3!n10!c2!n MN:4!n12!n MR:5!n5!n11!n2!n MT:4!a5!n18!c MU:4!a2!n2!n12!n3!n3!a NI:4!a20!n",
        "NL:4!a10!n NO:4!n6!n1!n PK:4!a16!c PL:8!n16!n PS:4!a21!c PT:4!n4!n11!n2!n QA:4!a21!c",
        "RO:4!a16!c RS:3!n13!n2!n RU:9!n5!n15!c SA:2!n18!c SC:4!a2!n2!n16!n3!a SD:2!n12!n",
        "SE:3!n16!n1!n SI:5!n8!n2!n SK:4!n6!n10!n SM:1!a5!n5!n12!c SO:4!n3!n12!n ST:4!n4!n11!n2!n",
        "SV:4!a20!n TL:3!n14!n2!n TN:2!n3!n13!n2!n TR:5!n1!n16!c UA:6!n19!c VA:3!n15!n VG:4!a16!n",
        "XK:4!n10!n2!n");

    private static final Pattern PART = Pattern.compile("(\\d+)!([nac])");

    /** One country's entry: the BBAN format as the registry writes it, its length and its pattern. */
    record Country(String code, String bbanFormat, int ibanLength, Pattern bbanPattern) {}

    private static final Map<String, Country> COUNTRIES = parse(TABLE);

    private IbanRegistry() {}

    static Optional<Country> country(String code) {
        return Optional.ofNullable(COUNTRIES.get(code));
    }

    /** All countries of the table, by code (for tests). */
    static Map<String, Country> countries() {
        return COUNTRIES;
    }

    private static Map<String, Country> parse(String table) {
        Map<String, Country> countries = new TreeMap<>();
        for (String entry : table.split(" ")) {
            String code = entry.substring(0, 2);
            Country country = country(code, entry.substring(3));
            if (countries.put(code, country) != null) {
                throw new IllegalStateException("IBAN registry table names " + code + " twice");
            }
        }
        return Map.copyOf(countries);
    }

    private static Country country(String code, String format) {
        var parts = PART.matcher(format);
        var regex = new StringBuilder();
        int length = 0;
        int end = 0;
        while (parts.find()) {
            if (parts.start() != end) {
                throw new IllegalStateException("bad BBAN format for " + code + ": " + format);
            }
            int count = Integer.parseInt(parts.group(1));
            regex.append(characterClass(parts.group(2).charAt(0))).append('{').append(count).append('}');
            length += count;
            end = parts.end();
        }
        if (end != format.length()) {
            throw new IllegalStateException("bad BBAN format for " + code + ": " + format);
        }
        return new Country(code, format, 4 + length, Pattern.compile(regex.toString()));
    }

    private static String characterClass(char kind) {
        switch (kind) {
            case 'n': return "[0-9]";
            case 'a': return "[A-Z]";
            default: return "[A-Z0-9]";
        }
    }
}
