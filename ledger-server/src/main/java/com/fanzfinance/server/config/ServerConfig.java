package com.fanzfinance.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import com.fanzfinance.ledger.cluster.ClusterSettings;
import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.Durability;

/**
 * The server's settings: environment variables, over an optional file of the same {@code FANZ_*=value}
 * lines ({@code FANZ_CONFIG_FILE}), over the defaults. Every value is checked once, at start, and all
 * problems are reported together, each naming its setting.
 */
public record ServerConfig(String host, int port, Path dataDirectory, String adminKey, int maxBodyBytes,
                           long requestTimeoutMillis, EngineConfig engine, ReadModel readModel,
                           String logFormat, String logLevel, RateLimit rateLimit, Payments payments, Sso sso,
                           Cluster cluster, long warmUpTransfers) {
    /**
     * The clustered mode (off when {@code members} is null): the ledger replicated on Aeron Cluster across the
     * members' hosts, this server being member {@code member}; the first of its ports; how often the leader
     * has every member snapshot; how long members wait for a silent leader; the largest UDP packet they send.
     */
    public record Cluster(List<String> members, int member, int basePort, java.time.Duration snapshotInterval,
                          java.time.Duration heartbeatTimeout, int mtu) {
        public boolean enabled() {
            return members != null;
        }
    }

    /**
     * The PostgreSQL read model: on or off, the server ({@code null}: an embedded one under the data
     * directory), the schema it lives in, the chart of accounts ({@code null}: the default), and the limits
     * on its readers: connections for reports and listings (the projector has its own), read-model
     * requests one key may run at once, and the longest one may take, streaming included; and the connections
     * the projector (and a rebuild) write on at once.
     */
    public record ReadModel(boolean enabled, String jdbcUrl, String schema, Path chartFile, int readersMax,
                            int readsPerKeyMax, long readTimeoutMillis, int writers) {
    }

    /**
     * Request rate per non-admin API key, and per tenant (each tenant has its own bucket of the same size,
     * which all its keys draw on): {@code perSecond} sustained, bursts of up to {@code burst}.
     */
    public record RateLimit(int perSecond, int burst) {
    }

    /**
     * The payments half: on or off (on needs the read model's PostgreSQL, whose server it shares, in schema
     * {@code schema}); the public base of webhook URLs ({@code null}: {@code http://<host>:<port>}); the default
     * platform share; the webhook body cap; proxies whose {@code X-Forwarded-For} is believed; how long reversals
     * wait for their sale; how long checkouts stay open; the merchant-secrets key ({@code null}: generated into
     * {@code <data>/secrets.key}); whether the server calls processors' APIs; NATS ({@code null}: off); how long
     * the outbox keeps events; how long an unfinished payout request or move is left to its own caller before the
     * sweep finishes it.
     */
    public record Payments(boolean enabled, String schema, String publicBaseUrl, int platformShareBp,
                           int hookMaxBodyBytes, List<String> trustedProxies, int parkedDays, int checkoutTtlHours,
                           String secretsKey, boolean providerCalls, String natsUrl, int eventsRetentionDays,
                           int payoutBatchMax, String payoutWeeklyAt, int reconMaxLines, int reconInTransitDays,
                           int railTimeoutSeconds, int payoutRecoverySeconds) {
        /** The same settings with payments off. */
        public Payments disabled() {
            return new Payments(false, schema, publicBaseUrl, platformShareBp, hookMaxBodyBytes, trustedProxies, parkedDays,
                checkoutTtlHours, secretsKey, providerCalls, natsUrl, eventsRetentionDays, payoutBatchMax, payoutWeeklyAt,
                reconMaxLines, reconInTransitDays, railTimeoutSeconds, payoutRecoverySeconds);
        }
    }

    /**
     * Sign-in with the identity service (SSO): off when {@code jwksUrl} is null. Its published signing keys, its
     * token endpoint (which {@code POST /sso/token} forwards a console's password sign-in to), and the issuer and
     * audience its access tokens must name.
     */
    public record Sso(java.net.URI jwksUrl, java.net.URI tokenUrl, String issuer, String audience) {
        /** True when the server takes the identity service's tokens. */
        public boolean enabled() {
            return jwksUrl != null;
        }
    }

    /** Journal bytes between automatic snapshots unless FANZ_SNAPSHOT_EVERY_BYTES says otherwise: mapped stores. */
    public static final long SNAPSHOT_EVERY_BYTES_MAPPED = 128L << 20;
    /** The same, with the stores on the heap. */
    public static final long SNAPSHOT_EVERY_BYTES_HEAP = 1L << 30;

    /** Every setting the server reads, with its default (null: none) and what it means. */
    public static final Map<String, String[]> SETTINGS = settings();

    private static Map<String, String[]> settings() {
        Map<String, String[]> settings = new LinkedHashMap<>();
        settings.put("FANZ_HTTP_HOST", new String[] {"127.0.0.1", "interface to listen on"});
        settings.put("FANZ_HTTP_PORT", new String[] {"8080", "port to listen on (0: any free port)"});
        settings.put("FANZ_DATA_DIR", new String[] {"./data", "journal, events, snapshots, stores, keys"});
        settings.put("FANZ_ADMIN_KEY", new String[] {null, "bootstrap admin key (else generated into <data>/admin.key)"});
        settings.put("FANZ_SSO_JWKS_URL", new String[] {null, "identity service's JWKS URL: its people's tokens are accepted (else SSO is off)"});
        settings.put("FANZ_SSO_TOKEN_URL", new String[] {null, "identity service's token endpoint (else the JWKS URL's origin + /oauth/token)"});
        settings.put("FANZ_SSO_ISSUER", new String[] {"fanz-identity", "iss the identity service's tokens must name"});
        settings.put("FANZ_SSO_AUDIENCE", new String[] {"fanz-platform", "aud the identity service's tokens must name"});
        settings.put("FANZ_MAX_BODY_BYTES", new String[] {"67108864", "largest request body (413 above)"});
        settings.put("FANZ_REQUEST_TIMEOUT_MS", new String[] {"30000", "longest a request waits for the ledger"});
        settings.put("FANZ_RATE_LIMIT_PER_SECOND", new String[] {"1000", "requests/s per non-admin key and per tenant (429 above)"});
        settings.put("FANZ_RATE_LIMIT_BURST", new String[] {"2000", "requests a key or tenant may send at once"});
        settings.put("FANZ_DURABILITY", new String[] {"fsync", "fsync (group commit) or os (page cache)"});
        settings.put("FANZ_RING_SIZE", new String[] {"1024", "command ring slots (power of two)"});
        settings.put("FANZ_BATCH_BYTES_MAX", new String[] {"8388608", "largest journal batch"});
        settings.put("FANZ_JOURNAL_ROLL_CYCLE", new String[] {"FAST_HOURLY", "Chronicle roll cycle of the journal"});
        settings.put("FANZ_SNAPSHOT_EVERY_BYTES", new String[] {null,
            "journal bytes between snapshots (default 134217728 with mapped stores, 1073741824 with heap stores)"});
        settings.put("FANZ_SNAPSHOTS_KEPT", new String[] {"3", "snapshots kept"});
        settings.put("FANZ_ACCOUNTS_MAX", new String[] {"10000000", "most accounts"});
        settings.put("FANZ_TRANSFERS_MAX", new String[] {"4294967296", "most transfers (failed transfer ids included)"});
        settings.put("FANZ_TENANT_ACCOUNTS_MAX", new String[] {null, "most accounts per tenant (else FANZ_ACCOUNTS_MAX)"});
        settings.put("FANZ_TENANT_TRANSFERS_MAX", new String[] {null,
            "most transfers and failed ids a tenant's keys may create (else FANZ_TRANSFERS_MAX)"});
        settings.put("FANZ_TRANSFERS_EXPECTED", new String[] {"65536", "transfers the stores and id index are first sized for"});
        settings.put("FANZ_MAPPED_STORES", new String[] {"true", "transfer bodies in memory-mapped files (false: heap)"});
        settings.put("FANZ_WARM_UP_TRANSFERS", new String[] {"200000",
            "synthetic transfers applied at start to a throwaway ledger, so the JIT compiles the apply path early (0: off)"});
        settings.put("FANZ_READ_MODEL", new String[] {"true", "project events into PostgreSQL for reports (false: off)"});
        settings.put("FANZ_DB_URL", new String[] {null, "JDBC URL of the read model's PostgreSQL (else embedded under <data>/postgres)"});
        settings.put("FANZ_DB_SCHEMA", new String[] {"fanz", "schema the read model lives in"});
        settings.put("FANZ_CHART_FILE", new String[] {null, "chart of accounts and currencies (else docs/chart-of-accounts.json)"});
        settings.put("FANZ_READ_MODEL_READERS", new String[] {"8", "read-model connections for reports and listings (the projector has its own)"});
        settings.put("FANZ_READ_MODEL_WRITERS", new String[] {"2", "connections the projector and a rebuild write on at once, each run committed in order (1-4)"});
        settings.put("FANZ_READ_MODEL_READS_PER_KEY", new String[] {"4", "read-model requests one API key may run at once (429 above)"});
        settings.put("FANZ_READ_MODEL_TIMEOUT_MS", new String[] {"120000", "longest a report, statement, export or listing may take, streaming included"});
        settings.put("FANZ_PAYMENTS", new String[] {null, "checkouts, processor webhooks and their postings: true, false (else on with the read model)"});
        settings.put("FANZ_PAYMENTS_SCHEMA", new String[] {"fanz_payments", "schema of the payments state, in the read model's PostgreSQL"});
        settings.put("FANZ_PUBLIC_BASE_URL", new String[] {null, "base of webhook and callback URLs (else http://<host>:<port>)"});
        settings.put("FANZ_PLATFORM_SHARE_BP", new String[] {"2000", "default platform share of a payment, basis points"});
        settings.put("FANZ_HOOK_MAX_BODY_BYTES", new String[] {"262144", "largest webhook body (413 above, nothing stored)"});
        settings.put("FANZ_TRUSTED_PROXIES", new String[] {null, "CIDRs (comma-separated) whose X-Forwarded-For is believed"});
        settings.put("FANZ_PAYMENTS_PARKED_DAYS", new String[] {"30", "days a reversal waits for its sale before failing"});
        settings.put("FANZ_CHECKOUT_TTL_HOURS", new String[] {"72", "hours a checkout stays open"});
        settings.put("FANZ_SECRETS_KEY", new String[] {null, "Base64 256-bit key encrypting merchant secrets (else <data>/secrets.key)"});
        settings.put("FANZ_PROVIDER_CALLS", new String[] {"on", "on: the server calls processors' APIs; off: never"});
        settings.put("FANZ_NATS_URL", new String[] {null, "NATS server to publish outbox events to with JetStream (else off)"});
        settings.put("FANZ_EVENTS_RETENTION_DAYS", new String[] {"30", "days the outbox keeps events"});
        settings.put("FANZ_PAYOUT_BATCH_MAX", new String[] {"5000", "most payouts in one payout batch (400 batch-too-large above)"});
        settings.put("FANZ_RECON_MAX_LINES", new String[] {"100000", "most lines in one reconciliation statement (400 above; the body is also capped by FANZ_MAX_BODY_BYTES)"});
        settings.put("FANZ_RECON_IN_TRANSIT_DAYS", new String[] {"5", "days a settled payout may wait to show on a bank statement before the daily check flags it"});
        settings.put("FANZ_RAIL_TIMEOUT_SECONDS", new String[] {"30", "how long a call to a payout rail's API (Paxum, Wise, a chain's node, an Esplora endpoint) may take; a call that takes longer is never resent blind"});
        settings.put("FANZ_PAYOUT_WEEKLY_AT", new String[] {"MON 09:00", "when weekly payout schedules run (day and UTC time)"});
        settings.put("FANZ_PAYOUT_RECOVERY_SECONDS", new String[] {"30", "seconds an unfinished payout request or move is left to its own caller before the background sweep finishes it (what a crash left half done)"});
        settings.put("FANZ_CLUSTER_MEMBERS", new String[] {null, "hosts of a clustered ledger's members, comma-separated, in member order (else one node with its own journal)"});
        settings.put("FANZ_CLUSTER_MEMBER", new String[] {"0", "this server's place in FANZ_CLUSTER_MEMBERS (0 is the first)"});
        settings.put("FANZ_CLUSTER_PORT", new String[] {"9100", "first cluster port: member i listens on it + 10 x i ... + 5"});
        settings.put("FANZ_CLUSTER_SNAPSHOT_MINUTES", new String[] {"10", "minutes between cluster-wide snapshots (0: only when asked)"});
        settings.put("FANZ_CLUSTER_HEARTBEAT_MS", new String[] {"2000", "how long members wait for a silent leader before electing another"});
        settings.put("FANZ_CLUSTER_MTU", new String[] {"1408", "largest UDP packet between members and clients (up to 65504 on loopback or jumbo frames)"});
        settings.put("FANZ_LOG_FORMAT", new String[] {"auto", "auto (text at a terminal, else json), json or text"});
        settings.put("FANZ_LOG_LEVEL", new String[] {"INFO", "log level (ERROR, WARN, INFO, DEBUG)"});
        return settings;
    }

    /**
     * FANZ_ names that are not server settings: the config file itself, the launcher's JVM options and its
     * class-data-sharing switch, the tests' database.
     */
    private static final java.util.Set<String> NOT_SETTINGS = java.util.Set.of("FANZ_CONFIG_FILE", "FANZ_JAVA_OPTS",
        "FANZ_CDS", "FANZ_TEST_DB_URL");

    /** Reads and validates the configuration; throws {@link IllegalArgumentException} listing every problem. */
    public static ServerConfig load(Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        SETTINGS.forEach((name, spec) -> values.put(name, spec[0]));
        String file = environment.get("FANZ_CONFIG_FILE");
        if (file != null) {
            values.putAll(readFile(Path.of(file)));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("FANZ_") && !NOT_SETTINGS.contains(name)) {
                values.put(name, value);
            }
        });
        return build(values);
    }

    private static ServerConfig build(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        for (String name : values.keySet()) {
            if (!SETTINGS.containsKey(name)) {
                problems.add(name + " is not a setting (known: " + String.join(", ", SETTINGS.keySet()) + ")");
            }
        }
        Parser parser = new Parser(values, problems);
        String host = parser.text("FANZ_HTTP_HOST");
        int port = (int) parser.number("FANZ_HTTP_PORT", 0, 65_535);
        // Absolute and normalised once, so every path printed from it reads /srv/fanz/data, not /srv/fanz/./data.
        Path data = Path.of(parser.text("FANZ_DATA_DIR")).toAbsolutePath().normalize();
        String adminKey = values.get("FANZ_ADMIN_KEY");
        if (adminKey != null && adminKey.length() < 24) {
            problems.add("FANZ_ADMIN_KEY must be at least 24 characters");
        }
        int maxBody = (int) parser.number("FANZ_MAX_BODY_BYTES", 1024, 1L << 30);
        long timeout = parser.number("FANZ_REQUEST_TIMEOUT_MS", 100, 600_000);
        RateLimit rateLimit = new RateLimit((int) parser.number("FANZ_RATE_LIMIT_PER_SECOND", 1, 1_000_000),
            (int) parser.number("FANZ_RATE_LIMIT_BURST", 1, 1_000_000));
        EngineConfig engine = engine(parser, data, problems);
        ReadModel readModel = readModel(parser, values, problems);
        Payments payments = payments(parser, values, problems, readModel);
        Sso sso = sso(parser, values, problems);
        Cluster cluster = cluster(parser, values, problems);
        if (cluster.enabled() && payments.enabled()) {
            if (blankToNull(values.get("FANZ_PAYMENTS")) != null) {
                problems.add("FANZ_PAYMENTS=true: payments do not run on a clustered ledger yet; set FANZ_PAYMENTS=false");
            }
            payments = payments.disabled();
        }
        long warmUp = parser.number("FANZ_WARM_UP_TRANSFERS", 0, 10_000_000);
        parser.oneOf("FANZ_LOG_FORMAT", "auto", "json", "text");
        parser.oneOf("FANZ_LOG_LEVEL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new ServerConfig(host, port, data, adminKey, maxBody, timeout, engine, readModel,
            values.get("FANZ_LOG_FORMAT"), values.get("FANZ_LOG_LEVEL"), rateLimit, payments, sso, cluster, warmUp);
    }

    private static Cluster cluster(Parser parser, Map<String, String> values, List<String> problems) {
        int member = (int) parser.number("FANZ_CLUSTER_MEMBER", 0, 6);
        int basePort = (int) parser.number("FANZ_CLUSTER_PORT", 1024, 65_000);
        java.time.Duration snapshots = java.time.Duration.ofMinutes(parser.number("FANZ_CLUSTER_SNAPSHOT_MINUTES", 0, 10_080));
        java.time.Duration heartbeat = java.time.Duration.ofMillis(parser.number("FANZ_CLUSTER_HEARTBEAT_MS", 500, 60_000));
        int mtu = (int) parser.number("FANZ_CLUSTER_MTU", 576, 65_504);
        if (mtu % 32 != 0) {
            problems.add("FANZ_CLUSTER_MTU must be a multiple of 32, was " + mtu);
        }
        String text = blankToNull(values.get("FANZ_CLUSTER_MEMBERS"));
        if (text == null) {
            return new Cluster(null, member, basePort, snapshots, heartbeat, mtu);
        }
        List<String> members = java.util.Arrays.stream(text.split(",")).map(String::trim).toList();
        if (members.size() % 2 == 0 || members.size() > 7 || members.stream().anyMatch(h -> !h.matches("[A-Za-z0-9.:\\[\\]-]+"))) {
            problems.add("FANZ_CLUSTER_MEMBERS must name 1, 3, 5 or 7 hosts, comma-separated, was '" + text + "'");
        } else if (member >= members.size()) {
            problems.add("FANZ_CLUSTER_MEMBER must be 0.." + (members.size() - 1) + " for " + members.size() + " members");
        } else if (basePort + ClusterSettings.PORTS_PER_MEMBER * members.size() > 65_535) {
            problems.add("FANZ_CLUSTER_PORT leaves no room for " + members.size() + " members' ports");
        }
        return new Cluster(members, member, basePort, snapshots, heartbeat, mtu);
    }

    private static Sso sso(Parser parser, Map<String, String> values, List<String> problems) {
        String issuer = parser.text("FANZ_SSO_ISSUER");
        String audience = parser.text("FANZ_SSO_AUDIENCE");
        java.net.URI jwks = identityUrl(values, "FANZ_SSO_JWKS_URL", problems);
        java.net.URI token = identityUrl(values, "FANZ_SSO_TOKEN_URL", problems);
        if (jwks == null) {
            if (token != null) {
                problems.add("FANZ_SSO_TOKEN_URL needs FANZ_SSO_JWKS_URL (SSO is off without it)");
            }
            return new Sso(null, null, issuer, audience);
        }
        if (token == null) {
            token = jwks.resolve("/oauth/token");
        }
        return new Sso(jwks, token, issuer, audience);
    }

    /**
     * An identity service URL setting, or null when unset: absolute, without user info or fragment, and https — http
     * only on the machine itself (localhost, 127.0.0.0/8, ::1), since tokens and passwords travel on it.
     */
    private static java.net.URI identityUrl(Map<String, String> values, String name, List<String> problems) {
        String text = blankToNull(values.get(name));
        if (text == null) {
            return null;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(text);
        } catch (java.net.URISyntaxException e) {
            problems.add(name + " is not a URL: " + e.getMessage());
            return null;
        }
        String host = uri.getHost();
        if (host == null || uri.getScheme() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            problems.add(name + " must be an absolute http(s) URL without user info or fragment, was '" + text + "'");
            return null;
        }
        boolean loopback = host.equals("localhost") || host.matches("127(\\.[0-9]{1,3}){3}") || host.equals("[::1]");
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            problems.add(name + " must be https (http only for localhost), was '" + text + "'");
            return null;
        }
        return uri;
    }

    private static EngineConfig engine(Parser parser, Path data, List<String> problems) {
        Durability durability = switch (parser.text("FANZ_DURABILITY").toLowerCase(Locale.ROOT)) {
            case "fsync" -> Durability.FSYNC;
            case "os" -> Durability.OS;
            default -> {
                problems.add("FANZ_DURABILITY must be fsync or os");
                yield Durability.FSYNC;
            }
        };
        int ring = (int) parser.number("FANZ_RING_SIZE", 16, 65_536);
        int batchBytes = (int) parser.number("FANZ_BATCH_BYTES_MAX", 1 << 20, 16 << 20);
        int snapshotsKept = (int) parser.number("FANZ_SNAPSHOTS_KEPT", 1, 100);
        int accountsMax = (int) parser.number("FANZ_ACCOUNTS_MAX", 1, StateMachineConfig.ACCOUNTS_MAX_LIMIT);
        long transfersMax = parser.number("FANZ_TRANSFERS_MAX", 1, 1L << 38);
        long transfersExpected = parser.number("FANZ_TRANSFERS_EXPECTED", 1024, 1L << 38);
        boolean expectedIsDefault = transfersExpected == Long.parseLong(SETTINGS.get("FANZ_TRANSFERS_EXPECTED")[0]);
        if (transfersExpected > transfersMax && !expectedIsDefault) {
            problems.add("FANZ_TRANSFERS_EXPECTED (" + transfersExpected + ") must not exceed FANZ_TRANSFERS_MAX ("
                + transfersMax + ")");
        }
        transfersExpected = Math.min(transfersExpected, transfersMax);
        long tenantAccountsMax = parser.optionalNumber("FANZ_TENANT_ACCOUNTS_MAX", 1, accountsMax, accountsMax);
        long tenantTransfersMax = parser.optionalNumber("FANZ_TENANT_TRANSFERS_MAX", 1, transfersMax, transfersMax);
        boolean mapped = parser.bool("FANZ_MAPPED_STORES");
        // A snapshot of mapped stores is their lengths and the accounts (about 1 MB for 10,000 accounts) after an
        // msync, so taking one often is cheap and bounds the replay after a crash to ~1 M transfers; with heap
        // stores a snapshot copies every transfer, so it stays rare.
        long snapshotEvery = parser.optionalNumber("FANZ_SNAPSHOT_EVERY_BYTES", 1 << 20, 1L << 40,
            mapped ? SNAPSHOT_EVERY_BYTES_MAPPED : SNAPSHOT_EVERY_BYTES_HEAP);
        StateMachineConfig limits = StateMachineConfig.inMemory().withLimits(
            LedgerLimits.of(accountsMax, transfersMax).withTenantQuotas(tenantAccountsMax, tenantTransfersMax));
        try {
            return EngineConfig.defaults(data).withDurability(durability).withRing(ring, batchBytes)
                .withJournalRollCycle(parser.text("FANZ_JOURNAL_ROLL_CYCLE")).withSnapshots(snapshotEvery, snapshotsKept)
                .withStateMachine(limits.withExpected(limits.expectedAccounts(), transfersExpected), mapped);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static ReadModel readModel(Parser parser, Map<String, String> values, List<String> problems) {
        boolean enabled = parser.bool("FANZ_READ_MODEL");
        String url = values.get("FANZ_DB_URL");
        if (url != null && !url.isBlank() && !url.startsWith("jdbc:postgresql:")) {
            problems.add("FANZ_DB_URL must be a jdbc:postgresql: URL");
        }
        String schema = parser.text("FANZ_DB_SCHEMA");
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            problems.add("FANZ_DB_SCHEMA must be a lower-case SQL name (a-z, 0-9, _), was '" + schema + "'");
        }
        String chart = values.get("FANZ_CHART_FILE");
        Path chartFile = chart == null || chart.isBlank() ? null : Path.of(chart.trim());
        if (chartFile != null && !Files.isReadable(chartFile)) {
            problems.add("FANZ_CHART_FILE " + chartFile + " is not a readable file");
        }
        int readers = (int) parser.number("FANZ_READ_MODEL_READERS", 1, 64);
        int readsPerKey = (int) parser.number("FANZ_READ_MODEL_READS_PER_KEY", 1, 64);
        long readTimeout = parser.number("FANZ_READ_MODEL_TIMEOUT_MS", 1_000, 3_600_000);
        int writers = (int) parser.number("FANZ_READ_MODEL_WRITERS", 1, 4);
        return new ReadModel(enabled, url == null || url.isBlank() ? null : url.trim(), schema, chartFile, readers,
            readsPerKey, readTimeout, writers);
    }

    private static Payments payments(Parser parser, Map<String, String> values, List<String> problems, ReadModel readModel) {
        String explicit = blankToNull(values.get("FANZ_PAYMENTS"));
        boolean enabled = explicit == null ? readModel.enabled() : parser.bool("FANZ_PAYMENTS");
        if (enabled && !readModel.enabled()) {
            problems.add("FANZ_PAYMENTS=true needs the read model's PostgreSQL (FANZ_READ_MODEL=true), or set FANZ_PAYMENTS=false");
        }
        String schema = parser.text("FANZ_PAYMENTS_SCHEMA");
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            problems.add("FANZ_PAYMENTS_SCHEMA must be a lower-case SQL name (a-z, 0-9, _), was '" + schema + "'");
        } else if (schema.equals(values.get("FANZ_DB_SCHEMA"))) {
            problems.add("FANZ_PAYMENTS_SCHEMA must differ from FANZ_DB_SCHEMA (" + schema + ")");
        }
        String base = blankToNull(values.get("FANZ_PUBLIC_BASE_URL"));
        if (base != null) {
            base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            try {
                java.net.URI uri = new java.net.URI(base);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                    problems.add("FANZ_PUBLIC_BASE_URL must be an http(s) URL without query, was '" + base + "'");
                }
            } catch (java.net.URISyntaxException e) {
                problems.add("FANZ_PUBLIC_BASE_URL is not a URL: " + e.getMessage());
            }
        }
        int shareBp = (int) parser.number("FANZ_PLATFORM_SHARE_BP", 0, 10_000);
        int hookBody = (int) parser.number("FANZ_HOOK_MAX_BODY_BYTES", 1024, 16 << 20);
        List<String> proxies = new ArrayList<>();
        String proxiesText = blankToNull(values.get("FANZ_TRUSTED_PROXIES"));
        if (proxiesText != null) {
            for (String range : proxiesText.split(",")) {
                try {
                    proxies.add(com.fanzfinance.gateway.support.SourceAddresses.parse(range.trim()).text());
                } catch (IllegalArgumentException e) {
                    problems.add("FANZ_TRUSTED_PROXIES: " + e.getMessage());
                }
            }
        }
        int parkedDays = (int) parser.number("FANZ_PAYMENTS_PARKED_DAYS", 1, 3650);
        int ttlHours = (int) parser.number("FANZ_CHECKOUT_TTL_HOURS", 1, 24 * 365);
        String secretsKey = blankToNull(values.get("FANZ_SECRETS_KEY"));
        if (secretsKey != null) {
            try {
                if (java.util.Base64.getDecoder().decode(secretsKey.trim()).length != 32) {
                    problems.add("FANZ_SECRETS_KEY must be 32 bytes in Base64 (e.g. openssl rand -base64 32)");
                }
            } catch (IllegalArgumentException e) {
                problems.add("FANZ_SECRETS_KEY is not Base64");
            }
        }
        parser.oneOf("FANZ_PROVIDER_CALLS", "on", "off");
        String nats = blankToNull(values.get("FANZ_NATS_URL"));
        if (nats != null && !nats.startsWith("nats://") && !nats.startsWith("tls://")) {
            problems.add("FANZ_NATS_URL must be a nats:// or tls:// URL");
        }
        int retention = (int) parser.number("FANZ_EVENTS_RETENTION_DAYS", 1, 3650);
        int batchMax = (int) parser.number("FANZ_PAYOUT_BATCH_MAX", 1, 100_000);
        int reconMaxLines = (int) parser.number("FANZ_RECON_MAX_LINES", 1, 10_000_000);
        int reconInTransitDays = (int) parser.number("FANZ_RECON_IN_TRANSIT_DAYS", 1, 365);
        int railTimeoutSeconds = (int) parser.number("FANZ_RAIL_TIMEOUT_SECONDS", 1, 600);
        int payoutRecoverySeconds = (int) parser.number("FANZ_PAYOUT_RECOVERY_SECONDS", 1, 3600);
        String weeklyAt = values.get("FANZ_PAYOUT_WEEKLY_AT").trim().toUpperCase(java.util.Locale.ROOT);
        if (!weeklyAt.matches("(MON|TUE|WED|THU|FRI|SAT|SUN) ([01][0-9]|2[0-3]):[0-5][0-9]")) {
            problems.add("FANZ_PAYOUT_WEEKLY_AT is a day and a UTC time such as MON 09:00");
        }
        return new Payments(enabled, schema, base, shareBp, hookBody, List.copyOf(proxies), parkedDays, ttlHours,
            secretsKey == null ? null : secretsKey.trim(), "on".equals(values.get("FANZ_PROVIDER_CALLS")), nats, retention,
            batchMax, weeklyAt, reconMaxLines, reconInTransitDays, railTimeoutSeconds, payoutRecoverySeconds);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read FANZ_CONFIG_FILE " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.forEach((key, value) -> values.put(key.toString().trim(), value.toString().trim()));
        return values;
    }

    /** Reads typed values, collecting problems instead of stopping at the first. */
    private record Parser(Map<String, String> values, List<String> problems) {
        String text(String name) {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                problems.add(name + " must not be empty");
                return "";
            }
            return value.trim();
        }

        /** A number that may be left unset, then {@code otherwise}. */
        long optionalNumber(String name, long min, long max, long otherwise) {
            String value = values.get(name);
            return value == null || value.isBlank() ? otherwise : number(name, min, max);
        }

        long number(String name, long min, long max) {
            String value = values.get(name);
            try {
                long number = Long.parseLong(value.trim());
                if (number < min || number > max) {
                    problems.add(name + " must be in " + min + ".." + max + ", was " + number);
                    return min;
                }
                return number;
            } catch (NumberFormatException | NullPointerException e) {
                problems.add(name + " must be a whole number, was '" + value + "'");
                return min;
            }
        }

        /** Checks that the value is one of {@code allowed} (exactly; these are read by the logging setup too). */
        void oneOf(String name, String... allowed) {
            String value = values.get(name);
            if (!java.util.Arrays.asList(allowed).contains(value)) {
                problems.add(name + " must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
            }
        }

        boolean bool(String name) {
            String value = values.get(name).trim().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(name + " must be true or false, was '" + value + "'");
            }
            return value.equals("true");
        }
    }
}
