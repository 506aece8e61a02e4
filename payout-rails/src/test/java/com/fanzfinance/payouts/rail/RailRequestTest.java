package com.fanzfinance.payouts.rail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RailRequestTest {

    @Test
    void theQueryIsNeverShownAndASecretUrlShowsOnlyItsHost() {
        RailRequest plain = RailRequest.get("https://api.example.com:8443/v2/account/590900/transactions?reference="
            + "pat%40example.com&limit=100", Map.of(), Set.of());
        assertThat(plain.toString()).contains("GET https://api.example.com:8443/v2/account/590900/transactions?")
            .doesNotContain("reference").doesNotContain("pat%40example.com");

        RailRequest secret = RailRequest.get("https://hooks.example.com/T0KEN-in-path/x?k=v", Map.of(), Set.of())
            .withSecretUrl();
        assertThat(secret.secretUrl()).isTrue();
        assertThat(secret.url()).isEqualTo("https://hooks.example.com/T0KEN-in-path/x?k=v");
        assertThat(secret.toString()).contains("https://hooks.example.com").doesNotContain("T0KEN")
            .doesNotContain("k=v");
        assertThat(new RailRequest("GET", "not a url at all", Map.of(), Set.of(), null, false).toString())
            .doesNotContain("not a url");
    }

    @Test
    void secretHeadersAndBodiesAreHidden() {
        RailRequest request = new RailRequest("POST", "https://api.example.com/v1/accounts",
            Map.of("Authorization", "Bearer tok3n", "Accept", "application/json"), Set.of("Authorization"),
            "{\"IBAN\":\"DE89370400440532013000\"}".getBytes(StandardCharsets.UTF_8), true);
        assertThat(request.secretUrl()).isFalse();
        assertThat(request.toString()).contains("/v1/accounts").contains("application/json")
            .doesNotContain("tok3n").doesNotContain("DE89");
    }
}
