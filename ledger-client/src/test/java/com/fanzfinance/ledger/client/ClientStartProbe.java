package com.fanzfinance.ledger.client;

import java.net.URI;

/**
 * Run by {@link JvmFlagsCheckTest} in a java of its own: builds a client as the README does (or, given
 * {@code json}, one that sends JSON only) and prints {@code BUILT}. Nothing is sent, so no server is needed.
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
    }
}
