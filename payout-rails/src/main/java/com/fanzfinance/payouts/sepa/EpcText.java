package com.fanzfinance.payouts.sepa;

import java.text.Normalizer;
import java.util.Map;

/**
 * The EPC basic Latin character set: a-z A-Z 0-9 / - ? : ( ) . , ' + space.
 *
 * <p>Every SEPA bank must accept these characters in names and remittance text; anything else may be
 * converted or rejected (EPC SCT rulebook; see {@code package-info}). {@link #clean(String, int)} makes any
 * text fit the set, as a German or Nordic bank would: umlauts become two letters, accents are dropped, the
 * rest becomes a space.
 */
public final class EpcText {

    private static final String PUNCTUATION = "/-?:().,'+ ";

    /** Letters that lose meaning or vanish under NFKD, written the way banks transliterate them. */
    private static final Map<Integer, String> TRANSLITERATIONS = Map.ofEntries(
        Map.entry((int) 'ä', "ae"), Map.entry((int) 'ö', "oe"), Map.entry((int) 'ü', "ue"),
        Map.entry((int) 'Ä', "Ae"), Map.entry((int) 'Ö', "Oe"), Map.entry((int) 'Ü', "Ue"),
        Map.entry((int) 'ß', "ss"), Map.entry((int) 'ẞ', "SS"),
        Map.entry((int) 'æ', "ae"), Map.entry((int) 'Æ', "Ae"), Map.entry((int) 'œ', "oe"), Map.entry((int) 'Œ', "Oe"),
        Map.entry((int) 'ø', "o"), Map.entry((int) 'Ø', "O"), Map.entry((int) 'ł', "l"), Map.entry((int) 'Ł', "L"),
        Map.entry((int) 'đ', "d"), Map.entry((int) 'Đ', "D"), Map.entry((int) 'ð', "d"), Map.entry((int) 'Ð', "D"),
        Map.entry((int) 'þ', "th"), Map.entry((int) 'Þ', "Th"), Map.entry((int) 'ħ', "h"), Map.entry((int) 'Ħ', "H"),
        Map.entry((int) 'ı', "i"), Map.entry((int) 'ŀ', "l"), Map.entry((int) 'Ŀ', "L"),
        Map.entry((int) '‘', "'"), Map.entry((int) '’', "'"), Map.entry((int) '‚', "'"), Map.entry((int) '´', "'"),
        Map.entry((int) '`', "'"), Map.entry((int) '‐', "-"), Map.entry((int) '‑', "-"), Map.entry((int) '‒', "-"),
        Map.entry((int) '–', "-"), Map.entry((int) '—', "-"), Map.entry((int) '−', "-"));

    private EpcText() {}

    /**
     * Transliterates (ä→ae, ö→oe, ü→ue, Ä→Ae, ß→ss, é→e, ø→o, å→a, æ→ae, ł→l, typographic quotes and dashes
     * to {@code '} and {@code -}, others by Unicode NFKD with the combining marks dropped), replaces any other
     * character by a space, collapses runs of spaces, trims, and cuts to {@code maxLength} (trimming again).
     * Never returns a string with a character outside the set; null gives "".
     *
     * @throws IllegalArgumentException if {@code maxLength} is negative
     */
    public static String clean(String text, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
        }
        if (text == null) {
            return "";
        }
        String spaced = collapseSpaces(toEpc(text));
        return spaced.length() <= maxLength ? spaced : spaced.substring(0, maxLength).strip();
    }

    /** True when every character of {@code text} is in the set (the empty string is; null is not). */
    public static boolean isEpc(String text) {
        return text != null && text.chars().allMatch(EpcText::isEpcChar);
    }

    static boolean isEpcChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || PUNCTUATION.indexOf(c) >= 0;
    }

    private static String toEpc(String text) {
        var out = new StringBuilder(text.length() + 8);
        Normalizer.normalize(text, Normalizer.Form.NFC).codePoints().forEach(c -> appendEpc(out, c));
        return out.toString();
    }

    private static void appendEpc(StringBuilder out, int codePoint) {
        String known = TRANSLITERATIONS.get(codePoint);
        if (known != null) {
            out.append(known);
            return;
        }
        if (isEpcChar(codePoint)) {
            out.append((char) codePoint);
            return;
        }
        String decomposed = Normalizer.normalize(new String(Character.toChars(codePoint)), Normalizer.Form.NFKD);
        decomposed.codePoints()
            .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
            .forEach(c -> out.append(isEpcChar(c) ? String.valueOf((char) c) : TRANSLITERATIONS.getOrDefault(c, " ")));
    }

    private static String collapseSpaces(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' || (out.length() > 0 && out.charAt(out.length() - 1) != ' ')) {
                out.append(c);
            }
        }
        return out.toString().strip();
    }
}
