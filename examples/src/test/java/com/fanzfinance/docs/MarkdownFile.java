package com.fanzfinance.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file as the docs checks read it: the code it shows (fenced blocks line by line, and inline
 * code spans), the links in its prose, the anchors of its headings (as GitHub makes them) and its tables.
 */
public final class MarkdownFile {
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern LINK = Pattern.compile(
        "!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?.*$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern INLINE_LINK_TEXT = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");

    /** A piece of the file, with the number of the line it is on (1-based). */
    public record Line(int number, String text) {
    }

    /** A table: its header cells and its rows, each with its line number. */
    public record Table(Line headerLine, List<String> header, List<Row> rows) {
    }

    public record Row(int line, List<String> cells) {
    }

    private final String path;
    private final List<Line> code = new ArrayList<>();
    private final List<Line> links = new ArrayList<>();
    private final Set<String> anchors = new LinkedHashSet<>();
    private final List<Table> tables = new ArrayList<>();

    private MarkdownFile(String path, String text) {
        this.path = path;
        parse(text.split("\n", -1));
    }

    public static MarkdownFile read(String relativePath) {
        return new MarkdownFile(relativePath, RepositoryFiles.read(relativePath));
    }

    public static MarkdownFile of(String path, String text) {
        return new MarkdownFile(path, text);
    }

    public String path() {
        return path;
    }

    /** Every line of a fenced code block, and every inline code span. */
    public List<Line> code() {
        return code;
    }

    /** The target of every link and image outside code, as written. */
    public List<Line> links() {
        return links;
    }

    public Set<String> anchors() {
        return anchors;
    }

    public List<Table> tables() {
        return tables;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
    public static String anchorOf(String headingText) {
        String text = INLINE_LINK_TEXT.matcher(headingText).replaceAll("$1");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private void parse(String[] lines) {
        Map<String, Integer> headingCounts = new HashMap<>();
        boolean fenced = false;
        List<Row> tableLines = new ArrayList<>();
        for (int index = 0; index < lines.length; index++) {
            int number = index + 1;
            String line = lines[index];
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                endTable(tableLines);
                continue;
            }
            if (fenced) {
                code.add(new Line(number, line));
                continue;
            }
            readCodeSpans(number, line);
            String prose = CODE_SPAN.matcher(line).replaceAll("");
            readLinks(number, prose);
            readHeading(prose, headingCounts);
            Matcher anchor = HTML_ANCHOR.matcher(prose);
            while (anchor.find()) {
                anchors.add(anchor.group(1));
            }
            if (line.trim().startsWith("|")) {
                tableLines.add(new Row(number, cells(line)));
            } else {
                endTable(tableLines);
            }
        }
        endTable(tableLines);
    }

    private void readCodeSpans(int number, String line) {
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
            code.add(new Line(number, span.group(2)));
        }
    }

    private void readLinks(int number, String prose) {
        Matcher link = LINK.matcher(prose);
        while (link.find()) {
            links.add(new Line(number, link.group(1)));
        }
        Matcher definition = REFERENCE_DEFINITION.matcher(prose);
        if (definition.matches()) {
            links.add(new Line(number, definition.group(1)));
        }
    }

    private void readHeading(String prose, Map<String, Integer> headingCounts) {
        Matcher heading = HEADING.matcher(prose);
        if (!heading.matches()) {
            return;
        }
        String anchor = anchorOf(heading.group(1));
        int seen = headingCounts.merge(anchor, 1, Integer::sum) - 1;
        anchors.add(seen == 0 ? anchor : anchor + "-" + seen);
    }

    private void endTable(List<Row> tableLines) {
        if (tableLines.size() >= 2 && tableLines.get(1).cells().stream().allMatch(cell -> cell.matches(":?-+:?"))) {
            Row header = tableLines.get(0);
            tables.add(new Table(new Line(header.line(), String.join(" | ", header.cells())), header.cells(),
                List.copyOf(tableLines.subList(2, tableLines.size()))));
        }
        tableLines.clear();
    }

    /** The cells of a table line; a '|' inside a code span does not split (GitHub would, but the text means it). */
    private static List<String> cells(String line) {
        String trimmed = line.trim();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean inCode = false;
        for (int i = 1; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '`') {
                inCode = !inCode;
            }
            if (c == '|' && !inCode && (i == 0 || trimmed.charAt(i - 1) != '\\')) {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (!cell.toString().isBlank()) {
            cells.add(cell.toString().trim());
        }
        return cells;
    }
}
