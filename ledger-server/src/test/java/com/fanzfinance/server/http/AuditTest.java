package com.fanzfinance.server.http;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the audit reads a note's bytes and which path segment is the action's target. */
class AuditTest {
    @Test
    void aNoteSentAsUtf8IsReadAsUtf8AndOtherBytesStayLatin1() {
        String asJettyHandsItOver = new String("Montréal ✓".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(Audit.decoded(asJettyHandsItOver)).isEqualTo("Montréal ✓");
        assertThat(Audit.decoded("caf\u00e9")).as("one Latin-1 byte is not UTF-8").isEqualTo("café");
        assertThat(Audit.decoded("plain text")).isEqualTo("plain text");
        assertThat(Audit.decoded("already ✓")).isEqualTo("already ✓");
    }

    @Test
    void theTargetIsTheIdSegmentOfTheRoute() {
        assertThat(Audit.target("POST /v1/payouts/{id}/cancel", "/v1/payouts/0b7c/cancel")).isEqualTo("0b7c");
        assertThat(Audit.target("DELETE /v1/admin/keys/{id}", "/v1/admin/keys/key_1")).isEqualTo("key_1");
        assertThat(Audit.target("POST /v1/payouts", "/v1/payouts")).isNull();
        assertThat(Audit.target("PUT /v1/routing/{tenant}", "/v1/routing/girlfanz")).isNull();
    }
}
