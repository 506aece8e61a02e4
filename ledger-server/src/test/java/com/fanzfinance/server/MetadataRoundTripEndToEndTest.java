package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata comes back exactly as it was sent, in compact form: numbers keep their decimal text (no trip
 * through {@code double}: {@code 1e400} is not "Infinity", {@code -0} stays {@code -0}, {@code 1.0} is not
 * {@code 1}, 23-digit integers keep every digit), strings keep their characters, keys keep their order.
 */
class MetadataRoundTripEndToEndTest {
    private static final String SENT = "{ \"big\": 1e400, \"negative_zero\": -0, \"negative_zero_fraction\": -0.0,"
        + " \"one_point_zero\": 1.0, \"one\": 1, \"precise\": 0.1000000000000000055511151231257827,"
        + " \"huge\": 12345678901234567890123, \"exponent\": 1E+2, \"tiny\": 4.9e-325,"
        + " \"text\": \"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\" \\\\ tab\\t\","
        + " \"nested\": {\"list\": [1, 2.50, {\"none\": null}, []], \"flag\": true, \"z\": {}} }";
    private static final String STORED = "{\"big\":1e400,\"negative_zero\":-0,\"negative_zero_fraction\":-0.0,"
        + "\"one_point_zero\":1.0,\"one\":1,\"precise\":0.1000000000000000055511151231257827,"
        + "\"huge\":12345678901234567890123,\"exponent\":1E+2,\"tiny\":4.9e-325,"
        + "\"text\":\"café 😀 \\\"quoted\\\" \\\\ tab\\t\","
        + "\"nested\":{\"list\":[1,2.50,{\"none\":null},[]],\"flag\":true,\"z\":{}}}";

    @Test
    void metadataIsReturnedExactlyAsSent(@TempDir Path data) {
        String debit = id(95, 1);
        String credit = id(95, 2);
        String transfer = id(96, 1);
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[{\"id\":\"" + debit
                + "\",\"ledger\":1,\"code\":1,\"metadata\":" + SENT + "},{\"id\":\"" + credit
                + "\",\"ledger\":1,\"code\":1}]}").status()).isEqualTo(200);
            assertThat(server.postJson("/v1/transfers", ADMIN_KEY, "{\"transfers\":[{\"id\":\"" + transfer
                + "\",\"debit_account_id\":\"" + debit + "\",\"credit_account_id\":\"" + credit
                + "\",\"amount\":1,\"ledger\":1,\"code\":1,\"metadata\":" + SENT + "}]}").status()).isEqualTo(200);

            assertThat(metadataOf(server.get("/v1/accounts/" + debit, ADMIN_KEY))).isEqualTo(STORED);
            assertThat(metadataOf(server.get("/v1/transfers/" + transfer, ADMIN_KEY))).isEqualTo(STORED);
            String listing = server.get("/v1/accounts/" + debit + "/transfers", ADMIN_KEY).text();
            assertThat(listing).contains("\"metadata\":" + STORED + "}");
            assertThat(server.get("/v1/transfers/" + transfer, ADMIN_KEY).json().path("metadata").path("text").asText())
                .isEqualTo("café 😀 \"quoted\" \\ tab\t");
        }
    }

    /** The metadata member's JSON text, which the server writes last in an account or transfer. */
    private static String metadataOf(TestServer.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        String text = response.text();
        int start = text.indexOf("\"metadata\":");
        assertThat(start).as(text).isPositive();
        return text.substring(start + "\"metadata\":".length(), text.length() - 1);
    }
}
