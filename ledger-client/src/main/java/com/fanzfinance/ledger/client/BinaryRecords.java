package com.fanzfinance.ledger.client;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.TransferLayout;

/**
 * The binary transport's bodies: N 128-byte TigerBeetle transfer records out, N 16-byte results
 * {@code {u64 timestamp, u32 status, u32 reserved}} back, little-endian. Allocates the body and the
 * result list.
 */
final class BinaryRecords {
    private BinaryRecords() {
    }

    static byte[] transfers(List<NewTransfer> transfers) {
        byte[] body = new byte[transfers.size() * TransferLayout.SIZE];
        UnsafeBuffer buffer = new UnsafeBuffer(body);
        for (int i = 0; i < transfers.size(); i++) {
            assert transfers.get(i).metadata() == null : "metadata travels only in JSON";
            Records.encode(transfers.get(i).transfer(), buffer, i * TransferLayout.SIZE);
        }
        return body;
    }

    static List<CreateResult<CreateTransferStatus>> transferResults(byte[] body, int count) {
        if (body.length != count * ResultLayout.SIZE) {
            throw JsonTree.malformed(count + " binary results (" + count * ResultLayout.SIZE + " bytes) expected, "
                + body.length + " bytes received");
        }
        UnsafeBuffer buffer = new UnsafeBuffer(body);
        List<CreateResult<CreateTransferStatus>> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int offset = i * ResultLayout.SIZE;
            long code = Integer.toUnsignedLong(buffer.getInt(offset + ResultLayout.STATUS));
            CreateTransferStatus status = CreateTransferStatus.ofCode(code);
            if (status == null) {
                throw JsonTree.malformed("unknown transfer status code " + code + " in result " + i);
            }
            results.add(new CreateResult<>(i, status, buffer.getLong(offset + ResultLayout.TIMESTAMP)));
        }
        return results;
    }

    /**
     * The binary answer to a batch of {@code count} transfers sent with {@code ?results=failures}: a 16-byte result for
     * each transfer that was not created, its index in the result's last four bytes, rising.
     */
    static List<CreateResult<CreateTransferStatus>> transferFailures(byte[] body, int count) {
        if (body.length % ResultLayout.SIZE != 0 || body.length / ResultLayout.SIZE > count) {
            throw JsonTree.malformed("at most " + count + " binary results of " + ResultLayout.SIZE + " bytes expected, "
                + body.length + " bytes received");
        }
        UnsafeBuffer buffer = new UnsafeBuffer(body);
        int failures = body.length / ResultLayout.SIZE;
        List<CreateResult<CreateTransferStatus>> results = new ArrayList<>(failures);
        long last = -1;
        for (int i = 0; i < failures; i++) {
            int offset = i * ResultLayout.SIZE;
            long index = Integer.toUnsignedLong(buffer.getInt(offset + ResultLayout.RESERVED));
            long code = Integer.toUnsignedLong(buffer.getInt(offset + ResultLayout.STATUS));
            CreateTransferStatus status = CreateTransferStatus.ofCode(code);
            if (status == null || status == CreateTransferStatus.CREATED) {
                throw JsonTree.malformed((status == null ? "unknown transfer status code " + code
                    : "a created transfer in an answer of failures only (the server ignored results=failures)")
                    + " in result " + i);
            }
            if (index <= last || index >= count) {
                throw JsonTree.malformed("result " + i + " names transfer " + index + " (after " + last + ", of " + count
                    + "): not an answer of failures only (did the server ignore results=failures?)");
            }
            results.add(new CreateResult<>((int) index, status, buffer.getLong(offset + ResultLayout.TIMESTAMP)));
            last = index;
        }
        return results;
    }
}
