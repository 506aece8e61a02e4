package com.fanzfinance.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The {@code FANZ_SSO_*} settings: off by default, https (http only on the machine itself), the token URL's default. */
class SsoSettingsTest {
    @Test
    void ssoIsOffByDefaultWithTheIdentityServicesIssuerAndAudience() {
        ServerConfig.Sso sso = load(Map.of()).sso();

        assertThat(sso.enabled()).isFalse();
        assertThat(sso.issuer()).isEqualTo("fanz-identity");
        assertThat(sso.audience()).isEqualTo("fanz-platform");
    }

    @Test
    void theTokenUrlDefaultsToTheJwksOriginsOauthToken() {
        ServerConfig.Sso sso = load(Map.of("FANZ_SSO_JWKS_URL", "https://id.fanz.example/.well-known/jwks.json",
            "FANZ_SSO_ISSUER", "https://id.fanz.example", "FANZ_SSO_AUDIENCE", "fanz-finance")).sso();

        assertThat(sso.enabled()).isTrue();
        assertThat(sso.jwksUrl()).isEqualTo(URI.create("https://id.fanz.example/.well-known/jwks.json"));
        assertThat(sso.tokenUrl()).isEqualTo(URI.create("https://id.fanz.example/oauth/token"));
        assertThat(sso.issuer()).isEqualTo("https://id.fanz.example");
        assertThat(sso.audience()).isEqualTo("fanz-finance");

        ServerConfig.Sso local = load(Map.of("FANZ_SSO_JWKS_URL", "http://127.0.0.1:8081/.well-known/jwks.json",
            "FANZ_SSO_TOKEN_URL", "http://localhost:8081/token")).sso();
        assertThat(local.tokenUrl()).isEqualTo(URI.create("http://localhost:8081/token"));
        assertThat(load(Map.of("FANZ_SSO_JWKS_URL", "http://[::1]:8081/jwks")).sso().tokenUrl())
            .isEqualTo(URI.create("http://[::1]:8081/oauth/token"));
    }

    @Test
    void plainHttpAwayFromTheMachineAndOddUrlsAreRefusedAtStart() {
        refused(Map.of("FANZ_SSO_JWKS_URL", "http://id.fanz.example/.well-known/jwks.json"),
            "FANZ_SSO_JWKS_URL must be https (http only for localhost)");
        refused(Map.of("FANZ_SSO_JWKS_URL", "https://id.fanz.example/jwks", "FANZ_SSO_TOKEN_URL",
            "http://10.0.0.5/oauth/token"), "FANZ_SSO_TOKEN_URL must be https");
        refused(Map.of("FANZ_SSO_JWKS_URL", "ftp://127.0.0.1/jwks"), "FANZ_SSO_JWKS_URL must be https");
        refused(Map.of("FANZ_SSO_JWKS_URL", "https://user:secret@id.fanz.example/jwks"), "without user info");
        refused(Map.of("FANZ_SSO_JWKS_URL", "/.well-known/jwks.json"), "must be an absolute http(s) URL");
        refused(Map.of("FANZ_SSO_JWKS_URL", "https://id.fanz.example/a b"), "FANZ_SSO_JWKS_URL is not a URL");
        refused(Map.of("FANZ_SSO_TOKEN_URL", "https://id.fanz.example/oauth/token"),
            "FANZ_SSO_TOKEN_URL needs FANZ_SSO_JWKS_URL");
        refused(Map.of("FANZ_SSO_ISSUER", " "), "FANZ_SSO_ISSUER must not be empty");
    }

    private static ServerConfig load(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("FANZ_DATA_DIR", "/tmp/fanz-sso-settings-test");
        return ServerConfig.load(environment);
    }

    private static void refused(Map<String, String> settings, String problem) {
        assertThatThrownBy(() -> load(settings)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
    }
}
