package com.fanzfinance.server.cli;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.Bodies.transfer;
import static com.fanzfinance.server.Bodies.transfers;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestServer;

import picocli.CommandLine;

/** The command line against real data directories: verify, replay, snapshot, keys, config. */
class FanzCommandTest {
    /** Exit status and what the command printed. */
    private record Run(int status, String out, String err) {
    }

    private static synchronized Run fanz(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int status = FanzCommand.execute(args);
            return new Run(status, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs a server on {@code data} with some accounts and transfers; returns its state hash at shutdown. */
    private static String populate(Path data) {
        try (TestServer server = TestServer.start(data)) {
            server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(id(50, 1), 1, "cli"), account(id(50, 2), 1, "cli")));
            for (int batch = 0; batch < 5; batch++) {
                String[] items = new String[100];
                for (int i = 0; i < items.length; i++) {
                    items[i] = transfer(id(51, batch * 1000L + i + 1), id(50, 1), id(50, 2), i + 1, 1,
                        i % 10 == 0 ? new String[] {"pending"} : new String[0]);
                }
                assertThat(server.postJson("/v1/transfers", ADMIN_KEY, transfers(items)).status()).isEqualTo(200);
            }
            return HexFormat.of().formatHex(server.server().engine().stateHash());
        }
    }

    @Test
    void verifyAndReplayAgreeWithTheServer(@TempDir Path data) {
        String stateHash = populate(data);
        Run verify = fanz("verify", "--data", data.toString());
        assertThat(verify.status()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("verified:  ok").containsPattern("commands:  \\d+").containsPattern(
            "head hash: [0-9a-f]{64}");
        Run replay = fanz("replay", "--data", data.toString());
        assertThat(replay.status()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("state hash: " + stateHash).contains("transfers:  500").contains("accounts:   2");
        assertThat(replay.err()).contains("100%");
    }

    @Test
    void verifyAndReplayReportADamagedJournal(@TempDir Path data) throws IOException {
        populate(data);
        Path journal;
        try (Stream<Path> files = Files.list(data.resolve("journal"))) {
            journal = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        List<Long> batches = batchOffsets(journal);
        assertThat(batches).hasSizeGreaterThan(2);
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = batches.get(1) + 200;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x5A)}), at);
        }
        Run verify = fanz("verify", "--data", data.toString());
        assertThat(verify.status()).isEqualTo(1);
        assertThat(verify.err()).contains("damaged");
        assertThat(fanz("replay", "--data", data.toString(), "--no-progress").status()).isEqualTo(1);
    }

    @Test
    void offlineSnapshotWritesASnapshotTheServerStartsFrom(@TempDir Path data, @TempDir Path dir) throws IOException {
        String stateHash = populate(data);
        // The same store settings as the test server: a snapshot is only read back by a like-configured ledger.
        Path config = dir.resolve("fanz.conf");
        Files.writeString(config, "FANZ_MAPPED_STORES=false\nFANZ_ACCOUNTS_MAX=100000\nFANZ_TRANSFERS_MAX=10000000\n");
        Run snapshot = fanz("snapshot", "--offline", "--config", config.toString(), "--data", data.toString());
        assertThat(snapshot.status()).as(snapshot.err()).isZero();
        assertThat(snapshot.out()).contains("snapshot: ");
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.server().engine().recovery().snapshotUsed()).as(server.server().engine().recovery().toString() + snapshot.out()).isTrue();
            assertThat(HexFormat.of().formatHex(server.server().engine().stateHash())).isEqualTo(stateHash);
        }
    }

    @Test
    void offlineKeysAreCreatedListedAndRevoked(@TempDir Path data) {
        Run created = fanz("keys", "create", "--offline", "--data", data.toString(), "--name", "girlfanz-payments",
            "--scope", "ledger:write,ledger:read", "--tenant", "girlfanz");
        assertThat(created.status()).as(created.err()).isZero();
        String secret = line(created.out(), "secret: ");
        String keyId = line(created.out(), "id:     ");
        Run listed = fanz("keys", "list", "--offline", "--data", data.toString());
        assertThat(listed.out()).contains(keyId).contains("girlfanz-payments").contains("girlfanz").doesNotContain(secret);

        try (TestServer server = TestServer.start(data)) {
            assertThat(server.postJson("/v1/accounts", secret, accounts(account(id(52, 1), 1, null))).status())
                .isEqualTo(200);
            // Through the running server: list and revoke.
            String url = server.base().toString();
            Run online = fanz("keys", "list", "--url", url, "--admin-key", ADMIN_KEY);
            assertThat(online.out()).contains(keyId);
            assertThat(fanz("keys", "revoke", "--url", url, "--admin-key", ADMIN_KEY, keyId).status()).isZero();
            assertThat(server.get("/v1/accounts/" + id(52, 1), secret).status()).isEqualTo(401);
            // The data directory is locked while the server runs.
            Run locked = fanz("keys", "list", "--offline", "--data", data.toString());
            assertThat(locked.status()).isEqualTo(1);
            assertThat(locked.err()).contains("is in use by another process");
        }
        assertThat(fanz("keys", "revoke", "--offline", "--data", data.toString(), "key_nope").status()).isEqualTo(1);
        assertThat(fanz("keys", "create", "--offline", "--data", data.toString(), "--name", "x", "--scope", "root")
            .status()).isEqualTo(1);
    }

    @Test
    void offlineCommandsMakeTheDataDirectoryOwnerOnlyLikeTheServer(@TempDir Path parent) throws IOException {
        Path data = parent.resolve("data");
        Run created = fanz("keys", "create", "--offline", "--data", data.toString(), "--name", "girlfanz-payments",
            "--scope", "ledger:write", "--tenant", "girlfanz");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("keys.json"))).isEqualTo("rw-------");
    }

    @Test
    void configChecksReportEveryProblemWithExitStatus3(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("fanz.conf");
        Files.writeString(file, "FANZ_HTTP_PORT=99999\nFANZ_DURABILITY=sometimes\nFANZ_TYPO=1\n"
            + "FANZ_TRANSFERS_MAX=100000\nFANZ_TRANSFERS_EXPECTED=200000\n");
        Run check = fanz("config", "--check", "--config", file.toString());
        assertThat(check.status()).isEqualTo(3);
        assertThat(check.err()).contains("FANZ_HTTP_PORT must be in 0..65535").contains("FANZ_DURABILITY must be fsync or os")
            .contains("FANZ_TYPO is not a setting")
            .contains("FANZ_TRANSFERS_EXPECTED (200000) must not exceed FANZ_TRANSFERS_MAX (100000)");
        Files.writeString(file, "FANZ_HTTP_PORT=9090\n");
        assertThat(fanz("config", "--check", "--config", file.toString()).status()).isZero();
        assertThat(fanz("config").out()).contains("FANZ_DATA_DIR").contains("./data");
        assertThat(fanz("no-such-command").status()).isEqualTo(2);
    }

    @Test
    void clientCommandsSayPlainlyThatNoServerIsRunningAndPrintNothingElse() throws IOException {
        String url = "http://127.0.0.1:" + freePort();
        List<List<String>> commands = List.of(List.of("keys", "list"), List.of("keys", "create", "--name", "x", "--scope",
            "admin"), List.of("keys", "revoke", "key_0123456789ab"), List.of("snapshot"));
        for (List<String> command : commands) {
            List<String> arguments = new java.util.ArrayList<>(command);
            arguments.addAll(List.of("--url", url, "--admin-key", ADMIN_KEY));
            Run run = fanz(arguments.toArray(String[]::new));
            assertThat(run.status()).as(command.toString()).isEqualTo(1);
            assertThat(run.out()).as(command.toString()).isEmpty();
            assertThat(run.err()).as(command.toString()).contains(url).contains("not running").contains("--offline")
                .doesNotContain("null");
        }
    }

    @Test
    void bareFanzNamesEveryCommandAndExitsWithUsageStatus() {
        Run bare = fanz();
        assertThat(bare.status()).isEqualTo(2);
        assertThat(commandPaths()).contains("read-model rebuild", "keys list", "serve");
        for (String command : commandPaths()) {
            assertThat(bare.err()).contains("  " + command + " ");
        }
    }

    /**
     * {@code fanz serve} is parsed without the rest of the command tree (a start is quicker so): its usage, its
     * refusal of a bad option and its configuration errors are those of the tree's {@code serve}.
     */
    @Test
    void serveAloneReadsAsTheTreesServe(@TempDir Path dir) {
        String treeUsage = new CommandLine(new FanzCommand()).getSubcommands().get("serve").getUsageMessage();
        Run help = fanz("serve", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).isEqualTo(treeUsage).startsWith("Usage: fanz serve [-hV] [--config=FILE] [--data=DIR]");

        Run bad = fanz("serve", "--bogus");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown option: '--bogus'").contains(treeUsage);

        Run missing = fanz("serve", "--config", dir.resolve("missing.env").toString());
        assertThat(missing.status()).as(missing.err()).isEqualTo(3);
        assertThat(missing.err()).startsWith("fanz: ").contains("missing.env");
    }

    @Test
    void theCommandTableOfTheDocsNamesEveryCommand() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "ledger-server.md"), StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("## Command line"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        List<String> rows = section.lines().filter(row -> row.startsWith("| `fanz ")).map(row -> row.substring(3,
            row.indexOf('`', 3)) + " ").toList();
        for (String command : commandPaths()) {
            assertThat(rows).as("a row for 'fanz %s' in the command table", command)
                .anyMatch(row -> row.startsWith("fanz " + command + " "));
        }
    }

    /** Every command a user can run: {@code serve}, ..., {@code keys list}, {@code read-model rebuild}. */
    private static List<String> commandPaths() {
        List<String> paths = new java.util.ArrayList<>();
        new picocli.CommandLine(new FanzCommand()).getSubcommands().forEach((name, command) -> {
            if (name.equals("help")) {
                return;
            }
            if (command.getSubcommands().isEmpty()) {
                paths.add(name);
            }
            command.getSubcommands().keySet().forEach(child -> paths.add(name + " " + child));
        });
        return paths;
    }

    private static String mode(Path file) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length()).trim();
    }

    private static List<Long> batchOffsets(Path journal) throws IOException {
        byte[] bytes = Files.readAllBytes(journal);
        List<Long> offsets = new java.util.ArrayList<>();
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == 0x46 && bytes[i + 1] == 0x5A && bytes[i + 2] == 0x4A && bytes[i + 3] == 0x31) {
                offsets.add((long) i);
            }
        }
        return offsets;
    }
}
