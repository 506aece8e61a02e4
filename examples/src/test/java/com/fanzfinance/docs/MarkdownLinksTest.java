package com.fanzfinance.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Every relative link in every tracked Markdown file leads to a file of the repository, and to a heading in it. */
class MarkdownLinksTest {
    private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

    @Test
    void everyRelativeLinkResolves() {
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (String file : RepositoryFiles.trackedMarkdown()) {
            MarkdownFile markdown = MarkdownFile.read(file);
            links += markdown.links().size();
            broken.addAll(brokenLinks(markdown));
        }
        assertThat(links).as("links found in the docs").isGreaterThanOrEqualTo(20);
        assertThat(broken).as("broken links (fix the link, or add the file or heading it points to)").isEmpty();
    }

    @Test
    void theCheckSeesBrokenLinksAndAnchors() {
        MarkdownFile file = MarkdownFile.of("docs/example.md", String.join("\n",
            "# Running it", "",
            "See [the server](ledger-server.md#configuration), [nowhere](missing.md), [here](#running-it),",
            "[gone](#no-such-heading), [web](https://example.com/x.md) and `[code](not-a-link.md)`.",
            "```", "[fenced](also-not-a-link.md)", "```"));

        assertThat(brokenLinks(file)).containsExactly(
            "docs/example.md:3: [missing.md] — docs/missing.md does not exist",
            "docs/example.md:4: [#no-such-heading] — docs/example.md has no heading with the anchor #no-such-heading"
                + " (anchors: #running-it)");
    }

    static List<String> brokenLinks(MarkdownFile file) {
        List<String> broken = new ArrayList<>();
        for (MarkdownFile.Line link : file.links()) {
            String problem = problemWith(file, link.text());
            if (problem != null) {
                broken.add(file.path() + ":" + link.number() + ": [" + link.text() + "] — " + problem);
            }
        }
        return broken;
    }

    private static String problemWith(MarkdownFile file, String target) {
        if (EXTERNAL.matcher(target).matches()) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        String resolved = resolve(file.path(), pathPart);
        if (resolved == null) {
            return pathPart + " leads outside the repository";
        }
        Path onDisk = RepositoryFiles.root().resolve(resolved);
        if (!pathPart.isEmpty() && !Files.exists(onDisk)) {
            return resolved + " does not exist";
        }
        if (anchor == null || anchor.isEmpty() || !resolved.endsWith(".md")) {
            return null;
        }
        MarkdownFile targetFile = resolved.equals(file.path()) ? file : MarkdownFile.read(resolved);
        if (targetFile.anchors().contains(anchor)) {
            return null;
        }
        return resolved + " has no heading with the anchor #" + anchor + " (anchors: "
            + String.join(", ", targetFile.anchors().stream().map(a -> "#" + a).toList()) + ")";
    }

    /** The target relative to the repository root, or null if it leaves the repository. */
    private static String resolve(String from, String pathPart) {
        if (pathPart.isEmpty()) {
            return from;
        }
        Path base = pathPart.startsWith("/") ? Path.of("") : Path.of(from).getParent();
        Path relative = (base == null ? Path.of(pathPart.replaceFirst("^/", ""))
            : base.resolve(pathPart.replaceFirst("^/", ""))).normalize();
        if (relative.startsWith("..")) {
            return null;
        }
        return relative.toString().replace('\\', '/');
    }
}
