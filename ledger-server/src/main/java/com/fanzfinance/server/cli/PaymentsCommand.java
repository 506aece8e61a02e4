package com.fanzfinance.server.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import com.fanzfinance.server.config.ServerConfig;

/**
 * Payment events of the running server: list them (to find what was rejected, failed or parked) and replay
 * them — decide again from the stored notification with today's secrets and settings. Ledger ids derive from
 * the event, so a replay never posts twice.
 */
@Command(name = "payments", mixinStandardHelpOptions = true, description = "List and replay payment events.",
    subcommands = {PaymentsCommand.ListEvents.class, PaymentsCommand.Replay.class})
final class PaymentsCommand {

    /** The server to talk to. */
    static final class Target {
        @Option(names = "--url", description = "server URL (default: http://FANZ_HTTP_HOST:FANZ_HTTP_PORT)")
        String url;

        @Option(names = "--admin-key", description = "admin key (default: FANZ_ADMIN_KEY or <data>/admin.key)")
        String adminKey;

        @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines")
        java.nio.file.Path configFile;

        @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: FANZ_DATA_DIR or ./data)")
        java.nio.file.Path dataDirectory;

        AdminClient client() {
            ServerConfig config = Settings.load(configFile, dataDirectory);
            return AdminClient.of(url, adminKey, config);
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "List payment events, newest first.")
    static final class ListEvents implements Runnable {
        private static final String FORMAT = "%-36s %-11s %-10s %-20s %-12s %s%n";

        @picocli.CommandLine.Mixin
        Target target;

        @Option(names = "--status", description = "received, posted, recorded, duplicate, rejected, parked, ignored or failed")
        String status;

        @Option(names = "--processor", description = "e.g. ccbill, verotel, nowpayments")
        String processor;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many (1-1000, default 50)")
        int limit;

        @Override
        public void run() {
            StringBuilder path = new StringBuilder("/v1/payment-events?reversed=true&limit=").append(limit);
            if (status != null) {
                path.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
            }
            if (processor != null) {
                path.append("&processor=").append(URLEncoder.encode(processor, StandardCharsets.UTF_8));
            }
            JsonNode page = target.client().get(path.toString());
            System.out.printf(FORMAT, "ID", "PROCESSOR", "STATUS", "REASON", "KIND", "RECEIVED");
            for (JsonNode event : page.path("payment_events")) {
                System.out.printf(FORMAT, event.path("id").asText(), event.path("processor").asText(),
                    event.path("status").asText(), event.path("status_reason").asText(""),
                    event.path("kind").asText(""), event.path("received_at").asText());
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Decide rejected, failed, parked or ignored payment events again from their stored notification.")
    static final class Replay implements Runnable {
        @picocli.CommandLine.Mixin
        Target target;

        @Parameters(paramLabel = "EVENT_ID", arity = "1..*", description = "payment event ids")
        List<String> ids;

        @Override
        public void run() {
            AdminClient client = target.client();
            for (String id : ids) {
                JsonNode event = client.post("/v1/admin/payment-events/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                    + "/replay", AdminClient.json().createObjectNode());
                System.out.println(id + " " + event.path("status").asText()
                    + (event.hasNonNull("status_reason") ? " (" + event.path("status_reason").asText() + ")" : ""));
            }
        }
    }
}
