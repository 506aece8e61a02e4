package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;

/**
 * Answers of failures only ({@code ?results=failures}) are read strictly: rising indexes within the batch, no created
 * event (a server that ignored the parameter answers in full, and that must not read as a batch of failures).
 */
class FailureResultsTest {
    @Test
    void binaryFailuresKeepTheirIndexesAndStatuses() {
        byte[] body = binary(new long[] {3, CreateTransferStatus.EXISTS.code(), 77}, new long[] {8,
            CreateTransferStatus.EXCEEDS_CREDITS.code(), 78});
        List<CreateResult<CreateTransferStatus>> read = BinaryRecords.transferFailures(body, 9);
        assertThat(read).containsExactly(new CreateResult<>(3, CreateTransferStatus.EXISTS, 77),
            new CreateResult<>(8, CreateTransferStatus.EXCEEDS_CREDITS, 78));
        assertThat(BinaryRecords.transferFailures(new byte[0], 9)).isEmpty();
    }

    @Test
    void binaryAnswersThatAreNotFailuresOnlyAreRefused() {
        long exists = CreateTransferStatus.EXISTS.code();
        // a full answer (what a server that ignored the parameter sends): created results, reserved 0
        assertThatThrownBy(() -> BinaryRecords.transferFailures(binary(new long[] {0, CreateTransferStatus.CREATED.code(), 5},
            new long[] {0, CreateTransferStatus.CREATED.code(), 6}), 2)).hasMessageContaining("ignored results=failures");
        assertThatThrownBy(() -> BinaryRecords.transferFailures(binary(new long[] {4, exists, 1}, new long[] {4, exists, 1}), 9))
            .hasMessageContaining("names transfer 4 (after 4");
        assertThatThrownBy(() -> BinaryRecords.transferFailures(binary(new long[] {5, exists, 1}, new long[] {2, exists, 1}), 9))
            .hasMessageContaining("names transfer 2 (after 5");
        assertThatThrownBy(() -> BinaryRecords.transferFailures(binary(new long[] {9, exists, 1}), 9))
            .hasMessageContaining("names transfer 9");
        assertThatThrownBy(() -> BinaryRecords.transferFailures(binary(new long[] {1, 999_999, 1}), 9))
            .hasMessageContaining("unknown transfer status code 999999");
        assertThatThrownBy(() -> BinaryRecords.transferFailures(new byte[17], 9)).hasMessageContaining("17 bytes");
        assertThatThrownBy(() -> BinaryRecords.transferFailures(binary(new long[] {0, exists, 1}, new long[] {1, exists, 1}), 1))
            .hasMessageContaining("at most 1");
    }

    @Test
    void jsonFailuresAreReadAndFullAnswersRefused() {
        List<CreateResult<CreateTransferStatus>> read = JsonResponseReader.failureResults(json(
            "{\"results\":[{\"index\":2,\"id\":\"00000000-0000-0000-0000-000000000001\",\"status\":\"exists\",\"timestamp\":\"12\"}]}"),
            5, CreateTransferStatus::ofWireName, CreateTransferStatus.CREATED);
        assertThat(read).containsExactly(new CreateResult<>(2, CreateTransferStatus.EXISTS, 12));
        assertThat(JsonResponseReader.failureResults(json("{\"results\":[]}"), 5, CreateTransferStatus::ofWireName,
            CreateTransferStatus.CREATED)).isEmpty();

        assertThatThrownBy(() -> JsonResponseReader.failureResults(json(
            "{\"results\":[{\"index\":0,\"status\":\"created\",\"timestamp\":\"1\"}]}"), 1, CreateTransferStatus::ofWireName,
            CreateTransferStatus.CREATED)).hasMessageContaining("ignored results=failures");
        assertThatThrownBy(() -> JsonResponseReader.failureResults(json(
            "{\"results\":[{\"index\":3,\"status\":\"exists\",\"timestamp\":\"1\"},{\"index\":3,\"status\":\"exists\","
                + "\"timestamp\":\"1\"}]}"), 5, CreateTransferStatus::ofWireName, CreateTransferStatus.CREATED))
            .hasMessageContaining("after the result for event 3");
        assertThatThrownBy(() -> JsonResponseReader.failureResults(json(
            "{\"results\":[{\"index\":5,\"status\":\"exists\",\"timestamp\":\"1\"}]}"), 5, CreateTransferStatus::ofWireName,
            CreateTransferStatus.CREATED)).hasMessageContaining("out of range: 5");
        assertThatThrownBy(() -> JsonResponseReader.failureResults(json(
            "{\"results\":[{\"status\":\"exists\",\"timestamp\":\"1\"}]}"), 5, CreateTransferStatus::ofWireName,
            CreateTransferStatus.CREATED)).hasMessageContaining("without its index");
    }

    /** Binary results of {index, status code, timestamp}. */
    private static byte[] binary(long[]... results) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[results.length * ResultLayout.SIZE]);
        for (int i = 0; i < results.length; i++) {
            buffer.putInt(i * ResultLayout.SIZE + ResultLayout.RESERVED, (int) results[i][0]);
            buffer.putInt(i * ResultLayout.SIZE + ResultLayout.STATUS, (int) results[i][1]);
            buffer.putLong(i * ResultLayout.SIZE + ResultLayout.TIMESTAMP, results[i][2]);
        }
        return buffer.byteArray();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
