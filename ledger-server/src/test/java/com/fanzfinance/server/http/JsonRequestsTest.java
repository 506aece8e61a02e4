package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.TransferLayout;

/**
 * The batch requests' parser refuses a key given twice in any object — the request, each event, metadata at any
 * depth — as malformed JSON naming the object, and takes the same key in different objects.
 */
class JsonRequestsTest {
    private static final String TRANSFER = "\"id\":\"00000000-0000-0000-0000-000000000001\","
        + "\"debit_account_id\":\"00000000-0000-0000-0000-000000000002\","
        + "\"credit_account_id\":\"00000000-0000-0000-0000-000000000003\",\"amount\":\"7\",\"ledger\":1,\"code\":1";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"transfers\":[{TRANSFER,\"amount\":\"8\"}]}|/transfers/0|amount",
        "{\"transfers\":[{TRANSFER},{TRANSFER,\"flags\":[],\"flags\":[]}]}|/transfers/1|flags",
        "{\"transfers\":[{TRANSFER}],\"transfers\":[]}||transfers",
        "{\"transfers\":[{TRANSFER,\"metadata\":{},\"metadata\":{}}]}|/transfers/0|metadata",
        "{\"transfers\":[{TRANSFER,\"metadata\":{\"a\":1,\"b\":2,\"a\":3}}]}|/transfers/0/metadata|a",
        "{\"transfers\":[{TRANSFER,\"metadata\":{\"a\":{\"b\":[{\"c\":1,\"c\":1}]}}}]}|/transfers/0/metadata|c"})
    void aKeyGivenTwiceInAnyObjectIsRefused(String body, String pointer, String key) {
        assertThatThrownBy(() -> transfers(body.replace("TRANSFER", TRANSFER)))
            .isInstanceOfSatisfying(Problem.class, problem -> {
                assertThat(problem.type()).isEqualTo("malformed-json");
                assertThat(problem.pointer()).isEqualTo(pointer == null ? "" : pointer);
                assertThat(problem.getMessage()).containsIgnoringCase("duplicate field '" + key + "'");
            });
    }

    @Test
    void anAccountsTenantGivenTwiceIsRefused() {
        String account = "{\"id\":\"00000000-0000-0000-0000-000000000009\",\"ledger\":1,\"code\":1,\"tenant\":\"girlfanz\","
            + "\"tenant\":\"pupfanz\"}";
        assertThatThrownBy(() -> JsonRequests.accounts(stream("{\"accounts\":[" + account + "]}")))
            .isInstanceOfSatisfying(Problem.class, problem -> {
                assertThat(problem.type()).isEqualTo("malformed-json");
                assertThat(problem.pointer()).isEqualTo("/accounts/0");
            });
    }

    @Test
    void theSameKeyInDifferentObjectsIsNoDuplicate() {
        String metadata = "{\"a\":{\"a\":1,\"b\":2},\"b\":{\"a\":[{\"a\":1},{\"a\":2}]}}";
        JsonRequests.Batch batch = transfers("{\"transfers\":[{" + TRANSFER + ",\"metadata\":" + metadata + "},{"
            + TRANSFER.replace("0001\"", "0004\"").replace("\"amount\":\"7\"", "\"amount\":\"9\"")
            + ",\"user_data_64\":\"18446744073709551615\"}]}");
        assertThat(batch.count()).isEqualTo(2);
        assertThat(batch.records().getLong(TransferLayout.AMOUNT)).isEqualTo(7);
        assertThat(batch.records().getLong(128 + TransferLayout.AMOUNT)).isEqualTo(9);
        assertThat(batch.records().getLong(128 + TransferLayout.USER_DATA_64)).isEqualTo(-1L);
        assertThat(new String(batch.sideData().byteArray(), 0, batch.sideDataLength(), StandardCharsets.UTF_8))
            .contains(metadata);
    }

    private static JsonRequests.Batch transfers(String body) {
        return JsonRequests.transfers(stream(body));
    }

    private static ByteArrayInputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }
}
