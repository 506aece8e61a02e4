package com.fanzfinance.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanz serve} as an operator runs it, in a real child process: SIGTERM and Ctrl-C (SIGINT) end
 * with a clean shutdown and exit status 0; the log is text at a terminal and JSON lines otherwise,
 * unless {@code FANZ_LOG_FORMAT} says which; the paths it prints are normalised.
 */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLEAN_SHUTDOWN = "shut down cleanly";

    @Test
    void sigtermShutsDownCleanlyWithExitStatus0AndJsonLogsWhenOutputIsAPipe(@TempDir Path data) throws Exception {
        // An unnormalised data directory, as "./data" is: the log names it normalised.
        try (ServeProcess server = ServeProcess.start(Path.of(data + "/./data"), Map.of())) {
            String output = stoppedCleanlyBy(server, "TERM");
            JsonNode ready = logLine(output, "ready on port");
            assertThat(ready.path("level").asText()).isEqualTo("INFO");
            assertThat(ready.path("formattedMessage").asText()).contains("(data in " + data.resolve("data") + ")")
                .doesNotContain("/./").doesNotContain("/../");
            assertThat(logLine(output, CLEAN_SHUTDOWN).path("level").asText()).isEqualTo("INFO");
        }
    }

    @Test
    void sigintShutsDownCleanlyWithExitStatus0AndTextLogsWhenAsked(@TempDir Path data) throws Exception {
        assumeTrue(ServeProcess.canReceiveSigint(), "this JVM ignores SIGINT, and so would the server");
        try (ServeProcess server = ServeProcess.start(data, Map.of("FANZ_LOG_FORMAT", "text"))) {
            String output = stoppedCleanlyBy(server, "INT");
            assertThat(textLine(output, "ready on port")).contains(" INFO ");
            assertThat(textLine(output, CLEAN_SHUTDOWN)).contains(" INFO ");
        }
    }

    /**
     * Settings from a file reach the logging, which starts after they are read: nothing may log (nor start
     * anything that logs, such as the start's warm-up thread) before. Output is a pipe, so JSON unless the file
     * says otherwise.
     */
    @Test
    void theLogFormatFromAConfigFileAppliesFromTheFirstLine(@TempDir Path data) throws Exception {
        Path file = data.resolve("fanz.env");
        Files.writeString(file, "FANZ_LOG_FORMAT=text\n");
        List<String> arguments = List.of("--config", file.toString());
        try (ServeProcess server = ServeProcess.start(data.resolve("data"), Map.of(), arguments)) {
            String output = stoppedCleanlyBy(server, "TERM");
            assertThat(output.lines().filter(line -> line.startsWith("{"))).as(output).isEmpty();
            assertThat(output).as("no logging started on two threads at once").doesNotContain("SLF4J");
            assertThat(textLine(output, "ready on port")).contains(" INFO ");
        }
    }

    @Test
    void logsAreTextAtATerminal(@TempDir Path data) throws Exception {
        assumeTrue(ServeProcess.canStartInTerminal(), "needs script(1) for a pseudo-terminal");
        try (ServeProcess server = ServeProcess.startInTerminal(data, Map.of())) {
            String output = stoppedCleanlyBy(server, "TERM");
            assertThat(textLine(output, "ready on port")).contains(" INFO ");
            assertThat(textLine(output, CLEAN_SHUTDOWN)).contains(" INFO ");
        }
    }

    @Test
    void logsAreJsonAtATerminalWhenAsked(@TempDir Path data) throws Exception {
        assumeTrue(ServeProcess.canStartInTerminal(), "needs script(1) for a pseudo-terminal");
        try (ServeProcess server = ServeProcess.startInTerminal(data, Map.of("FANZ_LOG_FORMAT", "json"))) {
            String output = stoppedCleanlyBy(server, "TERM");
            assertThat(logLine(output, "ready on port").path("level").asText()).isEqualTo("INFO");
        }
    }

    /** Sends the signal, asserts the server exited 0, and returns all it printed. */
    private static String stoppedCleanlyBy(ServeProcess server, String signal) throws Exception {
        server.signal(signal);
        int status = server.exitStatus();
        String output = server.output();
        assertThat(status).as(output).isZero();
        return output;
    }

    /** The one line containing {@code text}, which must be a JSON log line. */
    private static JsonNode logLine(String output, String text) throws Exception {
        String line = textLine(output, text);
        assertThat(line).as(output).startsWith("{");
        return JSON.readTree(line);
    }

    private static String textLine(String output, String text) {
        List<String> lines = output.lines().filter(line -> line.contains(text)).toList();
        assertThat(lines).as(output).hasSize(1);
        return lines.get(0);
    }
}
