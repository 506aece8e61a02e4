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
}
