package com.fanzfinance.ledger.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** A UUID is accepted only in its one canonical spelling, so that one id has exactly one text. */
class Uint128Test {
    @Property
    void everyValueRoundTripsThroughItsCanonicalText(@ForAll long high, @ForAll long low) {
        Uint128 value = Uint128.of(high, low);
        String text = value.toUuidString();
        assertThat(text).isEqualTo(new UUID(high, low).toString());
        assertThat(Uint128.fromUuid(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "0123abcd-4567-89ef-0a1b-2c3d4e5f6a7b"})
    void canonicalTextsAreAccepted(String text) {
        assertThat(Uint128.fromUuid(text).toUuidString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0123ABCD-4567-89ef-0a1b-2c3d4e5f6a7b",   // upper case
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "+0000000-0000-0000-0000-000000000001",   // signs, which Long.parseLong(…, 16) would take
        "-0000000-0000-0000-0000-000000000001",
        "00000000-+000-0000-0000-000000000001",
        "00000000-0000-0000-0000-+00000000001",
        "00000000-0000-0000-0000--00000000001",
        "0000000000000000000000000000000000000001", // no hyphens
        "00000000000000000000000000000001",
        "0000000-00000-0000-0000-000000000001",   // groups of the wrong length
        "000000000-000-0000-0000-000000000001",
        "1-1-1-1-1",
        "00000000-0000-0000-0000-00000000000g",   // not hex
        "00000000-0000-0000-0000-00000000000 ",
        "00000000_0000_0000_0000_000000000001",
        "{00000000-0000-0000-0000-000000000001}",
        ""})
    void anythingElseIsRefused(String text) {
        assertThatThrownBy(() -> Uint128.fromUuid(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
