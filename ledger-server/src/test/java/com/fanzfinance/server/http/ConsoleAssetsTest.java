package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestServer;

/**
 * The console's files: the server serves exactly the files of {@code src/main/resources/console}, with its
 * security headers, and nothing else under {@code /console}; no file loads anything from another host (no CDN),
 * and no page has inline script or style, which the content security policy would block.
 */
class ConsoleAssetsTest {
    private static final Path SOURCES = Path.of("src/main/resources/console");
    private static final Pattern URL = Pattern.compile("(?i)(?:https?:)?//[a-z0-9.-]+\\.[a-z]{2,}[^\\s'\"<>)]*");

    @Test
    void servesExactlyTheFilesOfTheConsoleFolder() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(SOURCES)) {
            list.forEach(file -> files.add(file.getFileName().toString()));
        }
        assertThat(new TreeSet<>(Set.of(ConsoleAssets.FILES))).isEqualTo(files);
    }

    @Test
    void loadsNothingFromAnotherHostAndHasNoInlineScriptOrStyle() throws IOException {
        for (String name : ConsoleAssets.FILES) {
            String text = Files.readString(SOURCES.resolve(name), StandardCharsets.UTF_8);
            Matcher urls = URL.matcher(text);
            while (urls.find()) {
                assertThat(urls.group()).as("a URL in " + name).isEqualTo("http://www.w3.org/2000/svg");
            }
            if (!name.endsWith(".css")) {
                assertThat(text).as(name)
                    .doesNotContainPattern("(?i)style\\s*[:=]|setAttribute\\(\\s*['\"]style|innerHTML|outerHTML"
                        + "|insertAdjacentHTML|document\\.write|eval\\(|new Function");
            }
            if (name.endsWith(".html")) {
                assertThat(text).as(name).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain("<style");
            }
        }
    }

    @Test
    void answersTheConsoleWithItsSecurityHeadersAndNothingElse(@TempDir Path data) {
        try (TestServer server = TestServer.start(data)) {
            TestServer.Response page = server.get("/console", null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.header("Content-Security-Policy")).isEqualTo(ConsoleAssets.CONTENT_SECURITY_POLICY)
                .contains("default-src 'none'").contains("script-src 'self'").contains("frame-ancestors 'none'");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.text()).contains("<script type=\"module\" src=\"/console/app.js\">");
            assertThat(server.get("/console/", null).status()).isEqualTo(200);
            TestServer.Response script = server.get("/console/app.js", null);
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.contentType()).startsWith("text/javascript");
            assertThat(server.get("/console/nothing.js", null).status()).isEqualTo(404);
            assertThat(server.get("/console/..%2fopenapi.json", null).status()).isEqualTo(404);
            assertThat(server.get("/console/ConsoleAssets.class", null).status()).isEqualTo(404);
        }
    }
}
