package com.fanzfinance.server.payments;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.cli.FanzCommand;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fanz payments events} and {@code fanz payments replay} against a running server. */
class PaymentsCliTest {

    @Test
    void listsRejectedEventsAndReplaysThemAfterTheKeyIsFixed(@TempDir Path data) {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_3", 700, null);
            TestServer.Response rejected = fixture.postbackQuery(
                PaymentsFixture.signedQuery(PaymentsFixture.sale("4001", "7.00", checkout), "right-key"));
            assertThat(rejected.status()).isEqualTo(401);
            String id = rejected.header("X-Payment-Event-Id");
            String url = fixture.server.base().toString();

            String[] listed = fanz("payments", "events", "--url", url, "--admin-key", TestServer.ADMIN_KEY,
                "--data", data.toString(), "--status", "rejected");
            assertThat(listed[0]).isEqualTo("0");
            assertThat(listed[1]).contains(id).contains("rejected").contains("signature");

            fixture.server.postJson("/v1/merchant-accounts/" + fixture.merchantAccountId + "/secrets",
                TestServer.ADMIN_KEY, "{\"secrets\":{\"signature_key\":\"right-key\"},\"previous_valid_seconds\":0}");
            String[] replayed = fanz("payments", "replay", "--url", url, "--admin-key", TestServer.ADMIN_KEY,
                "--data", data.toString(), id);
            assertThat(replayed[0]).isEqualTo("0");
            assertThat(replayed[1].trim()).isEqualTo(id + " posted");
            String[] again = fanz("payments", "replay", "--url", url, "--admin-key", TestServer.ADMIN_KEY,
                "--data", data.toString(), id);
            assertThat(again[0]).isNotEqualTo("0");
            assertThat(again[2]).contains("409");
        }
    }

    @Test
    void reconcilesAFileWithAProgressBarAndASummary(@TempDir Path data) throws Exception {
        try (PaymentsFixture fixture = PaymentsFixture.start(data)) {
            String checkout = fixture.checkout("c_4", 1000, null);
            assertThat(fixture.postback(PaymentsFixture.sale("5001", "10.00", checkout)).status()).isEqualTo(200);
            String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
            StringBuilder csv = new StringBuilder("reference,type,amount,currency,fee,date\n");
            csv.append("5001,sale,10.00,USD,1.30,").append(today).append('\n');
            for (int i = 0; i < 2000; i++) {
                csv.append("x").append(i).append(",sale,1.00,USD,0.13,").append(today).append('\n');
            }
            Path file = data.resolve("settlement.csv");
            java.nio.file.Files.writeString(file, csv);
            String url = fixture.server.base().toString();

            String[] run = fanz("reconcile", file.toString(), "--merchant-account", fixture.merchantAccountId, "--url",
                url, "--admin-key", TestServer.ADMIN_KEY, "--data", data.toString(), "--show", "3");
            assertThat(run[0]).as(run[2]).isEqualTo("0");
            assertThat(run[2]).as("the progress on standard error").contains("100% " + java.nio.file.Files.size(file) + "/"
                + java.nio.file.Files.size(file) + " bytes 2,002 lines sent; the reconciliation answered after");
            assertThat(run[1]).contains("(generic, 2001 lines)")
                .contains("matched 1, differing 0, unmatched in the ledger 0, unmatched on the statement 2000")
                .contains("line 2 'x0' 100 USD: not-in-ledger").contains("… (GET /v1/reconciliations/");
            String[] strict = fanz("reconcile", file.toString(), "--merchant-account", fixture.merchantAccountId, "--url",
                url, "--admin-key", TestServer.ADMIN_KEY, "--data", data.toString(), "--strict", "--json");
            assertThat(strict[0]).as("--strict fails on exceptions").isEqualTo("1");
            com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(strict[1]);
            assertThat(result.path("summary").path("unmatched_statement").asInt()).isEqualTo(2000);
            assertThat(result.path("unmatched_statement")).as("the document shows 1000").hasSize(1000);
            assertThat(result.path("more").path("unmatched_statement").asBoolean()).isTrue();
            assertThat(result.path("unmatched_statement").get(999).path("line").asInt()).isEqualTo(1001);

            // Paging across the stored chunks (500 entries each): 700 + 700 + 600, every line once, in order.
            java.util.List<Integer> seen = new java.util.ArrayList<>();
            String cursor = "0";
            while (cursor != null) {
                com.fasterxml.jackson.databind.JsonNode page = fixture.server.get("/v1/reconciliations/"
                    + result.path("id").asText() + "/entries?section=unmatched_statement&limit=700&cursor=" + cursor,
                    TestServer.ADMIN_KEY).json();
                page.path("entries").forEach(entry -> seen.add(entry.path("line").asInt()));
                cursor = page.path("next").isNull() ? null : page.path("next").asText();
            }
            assertThat(seen).hasSize(2000).isSorted().doesNotHaveDuplicates().startsWith(2).endsWith(2001);
            String[] missing = fanz("reconcile", data.resolve("nope.csv").toString(), "--merchant-account",
                fixture.merchantAccountId, "--url", url, "--admin-key", TestServer.ADMIN_KEY);
            assertThat(missing[0]).isEqualTo("2");
        }
    }

    /** Exit status, standard output and standard error of {@code fanz args}. */
    private static String[] fanz(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int status = FanzCommand.execute(args);
            return new String[] {Integer.toString(status), outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
