package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A client built in a java without Agrona's flag fails at once, naming the flag, instead of at its first
 * binary transfer with an {@code IllegalAccessError}; with the flag it is built. Real child processes.
 */
class JvmFlagsCheckTest {
    private static final String AGRONA_FLAG = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final long PROCESS_TIMEOUT_SECONDS = 60;

    /** What a child java printed and how it ended. */
    private record Outcome(int exitCode, String output) {
    }

    @Test
    void withoutTheFlagBuildingAClientFailsNamingIt() throws Exception {
        Outcome outcome = startClient(List.of());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output())
            .contains("java.lang.IllegalStateException: the ledger client needs JVM flags")
            .contains("\n  " + AGRONA_FLAG + "\n")
            .contains("Agrona")
            .contains("LedgerClient$Builder.build")
            .doesNotContain("BUILT");
    }

    @Test
    void withTheFlagTheClientIsBuilt() throws Exception {
        Outcome outcome = startClient(List.of(AGRONA_FLAG));

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("BUILT true");
    }

    @Test
    void aClientThatSendsJsonOnlyNeedsNoFlag() throws Exception {
        Outcome outcome = startClient(List.of(), "json");

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("BUILT true").contains("JSON ").contains(" CREATED");
    }

    /** Runs {@link ClientStartProbe} in a new java with exactly {@code flags} (and none of this JVM's). */
    private static Outcome startClient(List<String> flags, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClientStartProbe.class.getName());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not end: " + new String(output, StandardCharsets.UTF_8));
        }
        return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
