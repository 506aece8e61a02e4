package com.fanzfinance.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;

/**
 * docs/api.md lists every account and transfer status in precedence order with its code, exactly as the
 * engine declares them: a client that reads the doc handles what the ledger answers.
 */
class DocumentedStatusesTest {
    private static final String DOC = "docs/api.md";
    private static final Pattern NAME = Pattern.compile("^`([a-z0-9_]+)`$");

    @Test
    void accountStatusesAreDocumentedInPrecedenceOrderWithTheirCodes() {
        List<String> declared = Stream.of(CreateAccountStatus.values()).map(s -> s.wireName() + " " + s.code()).toList();
        assertThat(documented(MarkdownFile.read(DOC), "Account status"))
            .as("%s's account status table must list CreateAccountStatus in declaration (precedence) order, with codes", DOC)
            .containsExactlyElementsOf(declared);
    }

    @Test
    void transferStatusesAreDocumentedInPrecedenceOrderWithTheirCodes() {
        List<String> declared = Stream.of(CreateTransferStatus.values()).map(s -> s.wireName() + " " + s.code()).toList();
        assertThat(documented(MarkdownFile.read(DOC), "Transfer status"))
            .as("%s's transfer status table must list CreateTransferStatus in declaration (precedence) order, with codes", DOC)
            .containsExactlyElementsOf(declared);
    }

    @Test
    void theCheckReadsNamesAndCodes() {
        MarkdownFile doc = MarkdownFile.of("x.md", String.join("\n",
            "| Account status | Code | When |", "|---|---|---|", "| `created` | 0xFFFFFFFF | made |", "| `exists` | 21 | again |"));

        assertThat(documented(doc, "Account status")).containsExactly("created 4294967295", "exists 21");
    }

    /** "name code" for each row of the table whose first header cell is {@code title}. */
    static List<String> documented(MarkdownFile doc, String title) {
        MarkdownFile.Table table = doc.tables().stream().filter(candidate -> candidate.header().get(0).equals(title))
            .findFirst()
            .orElseThrow(() -> new AssertionError(doc.path() + " has no table headed | " + title + " | Code | When |"));
        List<String> rows = new ArrayList<>();
        for (MarkdownFile.Row row : table.rows()) {
            Matcher name = NAME.matcher(row.cells().get(0));
            String code = row.cells().get(1);
            long value = code.startsWith("0x") ? Long.parseLong(code.substring(2), 16) : Long.parseLong(code);
            rows.add((name.matches() ? name.group(1) : row.cells().get(0)) + " " + value);
        }
        return rows;
    }
}
