package com.fanzfinance.ledger.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Uint128;

/** Answers the fake server gives to create requests: one result per event, decided by the event's id. */
final class Answers {
    private Answers() {
    }

    /** The timestamp the fake ledger gives the event with this id. */
    static long timestampOf(Uint128 id) {
        return 1_000_000 + id.low();
    }

    /** Transfer results in the request's own format (binary or JSON). */
    static FakeLedgerServer.Reply transferResults(FakeLedgerServer.Request request,
                                                  Function<Uint128, CreateTransferStatus> statusOf) {
        List<Uint128> ids = request.eventIds();
        if (request.isBinary()) {
            byte[] body = new byte[ids.size() * ResultLayout.SIZE];
            UnsafeBuffer buffer = new UnsafeBuffer(body);
            for (int i = 0; i < ids.size(); i++) {
                buffer.putLong(i * ResultLayout.SIZE + ResultLayout.TIMESTAMP, timestampOf(ids.get(i)));
                buffer.putInt(i * ResultLayout.SIZE + ResultLayout.STATUS, statusOf.apply(ids.get(i)).codeBits());
            }
            return FakeLedgerServer.Reply.binary(body);
        }
        return jsonResults(ids, id -> statusOf.apply(id).wireName());
    }

    static FakeLedgerServer.Reply accountResults(FakeLedgerServer.Request request,
                                                 Function<Uint128, CreateAccountStatus> statusOf) {
        return jsonResults(request.eventIds(), id -> statusOf.apply(id).wireName());
    }

    private static FakeLedgerServer.Reply jsonResults(List<Uint128> ids, Function<Uint128, String> statusName) {
        StringBuilder body = new StringBuilder("{\"results\":[");
        for (int i = 0; i < ids.size(); i++) {
            Uint128 id = ids.get(i);
            body.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"id\":\"").append(id.toUuidString())
                .append("\",\"status\":\"").append(statusName.apply(id)).append("\",\"timestamp\":\"")
                .append(timestampOf(id)).append("\"}");
        }
        body.append("]}");
        return new FakeLedgerServer.Reply(200, WireFormat.JSON, body.toString().getBytes(StandardCharsets.UTF_8),
            Map.of());
    }
}
