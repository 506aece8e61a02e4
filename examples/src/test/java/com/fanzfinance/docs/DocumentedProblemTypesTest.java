package com.fanzfinance.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The problem types the docs list are exactly the ones the server can send, with the same status: a type
 * documented but never sent misleads a client author, and one sent but undocumented is a surprise. The
 * sendable types are read from the server's sources: every {@code new Problem(<status>, "<type>", …)}
 * and {@code badRequest("<type>", …)} (the factories in {@code Problem.java} are built the same way). The
 * platform services' problems are checked the same way against {@code docs/platform-services.md}; their
 * {@code Problem} also has {@code conflict("<type>", …)} (409), {@code unprocessable} (422) and
 * {@code unavailable} (503).
 */
class DocumentedProblemTypesTest {
    private static final String SERVER_SOURCES = "ledger-server/src/main/java";
    private static final String PLATFORM_SOURCES = "platform-services/src/main/java";
    private static final Map<Pattern, Integer> PLATFORM_FACTORIES = Map.of(
        Pattern.compile("\\bconflict\\(\\s*\"([a-z0-9-]+)\""), 409,
        Pattern.compile("\\bunprocessable\\(\\s*\"([a-z0-9-]+)\""), 422,
        Pattern.compile("\\bunavailable\\(\\s*\"([a-z0-9-]+)\""), 503);
    private static final Pattern NEW_PROBLEM = Pattern.compile("new\\s+Problem\\(\\s*(\\d{3})\\s*,\\s*\"([a-z0-9-]+)\"");
    private static final Pattern BAD_REQUEST = Pattern.compile("\\bbadRequest\\(\\s*\"([a-z0-9-]+)\"");
    private static final Pattern CODE_SPAN = Pattern.compile("`([a-z0-9-]+)`");

    /** Where a type is documented or sent, and with which status. */
    record Occurrence(int status, String where) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/ledger-server.md", "docs/api.md"})
    void theProblemTableListsExactlyWhatTheServerSends(String doc) {
        assertThat(differences(doc, documented(MarkdownFile.read(doc)), sendable())).isEmpty();
    }

    @Test
    void thePlatformProblemTableListsExactlyWhatTheServicesSend() {
        String doc = "docs/platform-services.md";
        Map<String, Occurrence> sent = sendable(PLATFORM_SOURCES, PLATFORM_FACTORIES);
        assertThat(sent).containsKeys("malformed-json", "unauthorized", "email-taken", "content-not-cleared",
            "ledger-unavailable");
        assertThat(differences(doc, documented(MarkdownFile.read(doc)), sent)).isEmpty();
    }

    @Test
    void theServerSendsProblemsTheScanFinds() {
        assertThat(sendable()).containsKeys("malformed-json", "invalid-field", "unauthorized", "not-found", "no-route");
    }

    @Test
    void theCheckSeesMissingExtraAndMisnumberedTypes() {
        MarkdownFile doc = MarkdownFile.of("docs/x.md", String.join("\n",
            "| Status | `type` suffix | When |", "|---|---|---|",
            "| 400 | `malformed-json` / `invalid-field` | bad input |",
            "| 404 | `not-found` | no such object |",
            "| 410 | `gone` | never sent |"));
        Map<String, Occurrence> sent = new TreeMap<>(Map.of(
            "malformed-json", new Occurrence(400, "A.java:1"),
            "invalid-field", new Occurrence(400, "A.java:2"),
            "not-found", new Occurrence(410, "B.java:3"),
            "no-route", new Occurrence(404, "C.java:4")));

        assertThat(differences("docs/x.md", documented(doc), sent)).containsExactly(
            "docs/x.md:5 documents `gone` (410), which the server never sends: remove the row, or build the problem"
                + " as new Problem(410, \"gone\", …) so this check sees it",
            "docs/x.md:4 documents `not-found` as 404, but the server sends it as 410 (B.java:3): correct the status",
            "the server sends `no-route` (404, C.java:4), which docs/x.md does not document: add it to the problem"
                + " table, e.g. | 404 | `no-route` | <when> |");
    }

    static List<String> differences(String doc, Map<String, Occurrence> documented, Map<String, Occurrence> sent) {
        List<String> differences = new ArrayList<>();
        documented.forEach((type, documentedAt) -> {
            Occurrence sentAt = sent.get(type);
            if (sentAt == null) {
                differences.add(documentedAt.where() + " documents `" + type + "` (" + documentedAt.status() + "), which"
                    + " the server never sends: remove the row, or build the problem as new Problem(" + documentedAt.status()
                    + ", \"" + type + "\", …) so this check sees it");
            } else if (sentAt.status() != documentedAt.status()) {
                differences.add(documentedAt.where() + " documents `" + type + "` as " + documentedAt.status()
                    + ", but the server sends it as " + sentAt.status() + " (" + sentAt.where() + "): correct the status");
            }
        });
        sent.forEach((type, sentAt) -> {
            if (!documented.containsKey(type)) {
                differences.add("the server sends `" + type + "` (" + sentAt.status() + ", " + sentAt.where() + "), which "
                    + doc + " does not document: add it to the problem table, e.g. | " + sentAt.status() + " | `" + type
                    + "` | <when> |");
            }
        });
        return differences;
    }

    /** The types in the doc's problem table: the table with a "Status" column and a "type" column. */
    static Map<String, Occurrence> documented(MarkdownFile doc) {
        MarkdownFile.Table table = doc.tables().stream()
            .filter(candidate -> candidate.header().size() >= 2 && candidate.header().get(0).equalsIgnoreCase("Status")
                && candidate.header().get(1).contains("type"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(doc.path() + " has no problem table: add one whose header is"
                + " | Status | `type` suffix | When |"));
        Map<String, Occurrence> documented = new TreeMap<>();
        for (MarkdownFile.Row row : table.rows()) {
            int status = Integer.parseInt(row.cells().get(0).trim());
            Matcher type = CODE_SPAN.matcher(row.cells().get(1));
            while (type.find()) {
                documented.put(type.group(1), new Occurrence(status, doc.path() + ":" + row.line()));
            }
        }
        return documented;
    }

    /** Every type the server's sources build, with its status. */
    static Map<String, Occurrence> sendable() {
        return sendable(SERVER_SOURCES, Map.of());
    }

    /** Every type the sources under {@code root} build, with the factories' statuses in {@code factories} too. */
    static Map<String, Occurrence> sendable(String root, Map<Pattern, Integer> factories) {
        Path sources = RepositoryFiles.root().resolve(root);
        Map<String, Occurrence> sent = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file);
                String name = RepositoryFiles.root().relativize(file).toString().replace('\\', '/');
                Matcher problem = NEW_PROBLEM.matcher(text);
                while (problem.find()) {
                    sent.putIfAbsent(problem.group(2), new Occurrence(Integer.parseInt(problem.group(1)),
                        name + ":" + lineOf(text, problem.start())));
                }
                Matcher badRequest = BAD_REQUEST.matcher(text);
                while (badRequest.find()) {
                    sent.putIfAbsent(badRequest.group(1), new Occurrence(400, name + ":" + lineOf(text, badRequest.start())));
                }
                for (Map.Entry<Pattern, Integer> factory : factories.entrySet()) {
                    Matcher call = factory.getKey().matcher(text);
                    while (call.find()) {
                        sent.putIfAbsent(call.group(1), new Occurrence(factory.getValue(),
                            name + ":" + lineOf(text, call.start())));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sent;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
