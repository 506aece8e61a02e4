package com.fanzfinance.payouts.sepa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EpcTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        Jürgen Müller & Söhne       | Juergen Mueller Soehne
        Ärger Öl Übel               | Aerger Oel Uebel
        Straße                      | Strasse
        Crème brûlée à la café      | Creme brulee a la cafe
        Søren Ørsted                | Soren Orsted
        Åse Ångström                | Ase Angstroem
        Æther æsir                  | Aether aesir
        Łukasz Wałęsa               | Lukasz Walesa
        Đorđe Ðuro                  | Dorde Duro
        Þór                         | Thor
        Œuvre cœur                  | Oeuvre coeur
        Ñandú Çedilla               | Nandu Cedilla
        İstanbul ılık               | Istanbul ilik
        O’Brien – Smith             | O'Brien - Smith
        "  many    spaces  "        | many spaces
        Tab\there                   | Tab here
        a/b-c?d:e(f)g.h,i'j+k       | a/b-c?d:e(f)g.h,i'j+k
        "<tag> \\"q\\" #1 @ 50% €"   | tag q 1 50
        ﬁnance ２０２４              | finance 2024
        Ελληνικά 東京 Москва          | ""
        😀 emoji 😀                  | emoji
        """)
    void transliterates(String text, String expected) {
        String input = text.replace("\\t", "\t").replace("\\\\\"", "\"");
        assertThat(EpcText.clean(input, 140)).isEqualTo(expected);
    }

    @Test
    void decomposedInputTransliteratesLikeComposed() {
        assertThat(EpcText.clean("Mu\u0308ller", 70)).isEqualTo("Mueller");
        assertThat(EpcText.clean("Jose\u0301", 70)).isEqualTo("Jose");
    }

    @Test
    void cutsToMaxLengthAfterTransliteratingAndTrimsAgain() {
        assertThat(EpcText.clean("Müller", 3)).isEqualTo("Mue");
        assertThat(EpcText.clean("ab cd", 3)).isEqualTo("ab");
        assertThat(EpcText.clean("abc", 0)).isEmpty();
        assertThat(EpcText.clean(null, 10)).isEmpty();
        assertThatThrownBy(() -> EpcText.clean("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isEpc() {
        assertThat(EpcText.isEpc("Hello World 0-9 /?:().,'+")).isTrue();
        assertThat(EpcText.isEpc("")).isTrue();
        assertThat(EpcText.isEpc(null)).isFalse();
        assertThat(EpcText.isEpc("Müller")).isFalse();
        assertThat(EpcText.isEpc("a&b")).isFalse();
        assertThat(EpcText.isEpc("tab\t")).isFalse();
        assertThat(EpcText.isEpc("a_b")).isFalse();
    }

    @Property(tries = 1000)
    void outputIsAlwaysEpcAndNoLongerThanAsked(@ForAll("anyText") String text, @ForAll @IntRange(max = 80) int max) {
        String cleaned = EpcText.clean(text, max);
        assertThat(EpcText.isEpc(cleaned)).as(cleaned).isTrue();
        assertThat(cleaned.length()).isLessThanOrEqualTo(max);
        assertThat(cleaned).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
    }

    @Property(tries = 300)
    void epcTextIsKeptAsItIsApartFromSpaces(@ForAll("epcText") String text) {
        String collapsed = text.strip().replaceAll(" +", " ");
        assertThat(EpcText.clean(text, 1000)).isEqualTo(collapsed);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(120),
            Arbitraries.strings().withChars("äöüÄÖÜßéèøåæłŁ &<>\"€ \t\u0308ﬁ").withCharRange('a', 'z').ofMaxLength(120),
            Arbitraries.strings().withCharRange('\u0000', '\u024f').ofMaxLength(120));
    }

    @Provide
    Arbitrary<String> epcText() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
            .withChars("/-?:().,'+ ").ofMaxLength(100);
    }
}
