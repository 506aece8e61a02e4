package com.fanzfinance.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A UUID is its 36-character form only; everything else, null included, is none. */
class UuidsTest {
    @Test
    void readsTheFullFormAndNothingElse() {
        UUID id = UUID.randomUUID();
        assertThat(Uuids.parseOrNull(id.toString())).isEqualTo(id);
        assertThat(Uuids.parseOrNull(id.toString().toUpperCase())).isEqualTo(id);
        assertThat(Uuids.parseOrNull("1-1-1-1-1")).isNull();
        assertThat(Uuids.parseOrNull("g0000000-0000-0000-0000-000000000000")).isNull();
        assertThat(Uuids.parseOrNull("")).isNull();
        assertThat(Uuids.parseOrNull(null)).isNull();
    }
}
