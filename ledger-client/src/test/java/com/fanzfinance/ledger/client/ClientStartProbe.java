package com.fanzfinance.ledger.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Run by {@link JvmFlagsCheckTest} in a java of its own: builds a client as the README does (or, given
 * {@code json}, one that sends JSON only, and then writes and reads JSON as it would) and prints
 * {@code BUILT}. Nothing is sent, so no server is needed.
 */
public final class ClientStartProbe {
    private ClientStartProbe() {
    }

    public static void main(String[] args) {
        boolean binary = args.length == 0 || !args[0].equals("json");
        try (LedgerClient client = LedgerClient.builder(URI.create("http://127.0.0.1:9"), "fzk_probe")
                .binaryTransfers(binary).build()) {
            System.out.println("BUILT " + (client != null));
        }
        if (!binary) {
            byte[] request = JsonRequestWriter.transfers(List.of(NewTransfer.of(
                Transfer.of(Uint128.of(1, 3), Uint128.of(1, 1), Uint128.of(1, 2), 10, 1, 1))));
            List<CreateResult<CreateTransferStatus>> results = JsonResponseReader.createResults(
                "{\"results\":[{\"status\":\"created\",\"timestamp\":\"7\"}]}".getBytes(StandardCharsets.UTF_8), 1,
                CreateTransferStatus::ofWireName);
            System.out.println("JSON " + request.length + " " + results.get(0).status());
        }
    }
}
