package com.fanzfinance.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The flag checks against real JVMs: a java started without the flags fails at the check with a message
 * naming exactly the missing ones; with them it passes and Agrona works. Also keeps the lists equal to
 * the parent POM's, which is what the build and the launcher pass.
 */
class JvmRequirementsTest {
    private static final String AGRONA_FLAG = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final long PROCESS_TIMEOUT_SECONDS = 60;

    /** What a child java printed and how it ended. */
    private record Outcome(int exitCode, String output) {
    }

    @Test
    void thisTestJvmHasEveryFlagSoTheChecksPass() {
        assertThat(JvmRequirements.missing(JvmRequirements.DURABLE_LEDGER_FLAGS)).isEmpty();
        assertThatCode(JvmRequirements::requireForClient).doesNotThrowAnyException();
        assertThatCode(JvmRequirements::requireForInMemoryLedger).doesNotThrowAnyException();
        assertThatCode(JvmRequirements::requireForDurableLedger).doesNotThrowAnyException();
    }

    @Test
    void withoutFlagsTheClientCheckFailsNamingAgronasFlag() throws Exception {
        Outcome outcome = probe("client", List.of());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output())
            .contains("java.lang.IllegalStateException: the ledger client needs JVM flags")
            .contains("\n  " + AGRONA_FLAG + "\n")
            .contains("Agrona")
            .doesNotContain("IllegalAccessError")
            .doesNotContain("GRANTED");
    }

    @Test
    void withoutFlagsTheDurableCheckNamesEveryFlagOnOneCopyableLine() throws Exception {
        Outcome outcome = probe("durable", List.of());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output()).contains("the durable ledger needs JVM flags")
            .contains("\n  " + String.join(" ", JvmRequirements.DURABLE_LEDGER_FLAGS))
            .contains("Chronicle Queue").doesNotContain("GRANTED");
    }

    @Test
    void agronasFlagAloneSatisfiesTheClientAndTheInMemoryLedgerButNotTheDurableOne() throws Exception {
        assertThat(probe("client", List.of(AGRONA_FLAG)).output()).contains("GRANTED 42");
        assertThat(probe("in-memory", List.of(AGRONA_FLAG)).output()).contains("GRANTED 42");

        Outcome durable = probe("durable", List.of(AGRONA_FLAG));
        List<String> others = new ArrayList<>(JvmRequirements.DURABLE_LEDGER_FLAGS);
        others.remove(AGRONA_FLAG);
        if (Runtime.version().feature() >= 22) {
            others.add("--enable-native-access=ALL-UNNAMED"); // also missing there, and named (the other JDK 22 flag cannot be seen)
        }
        assertThat(durable.exitCode()).isNotZero();
        assertThat(durable.output()).contains("\n  " + String.join(" ", others) + "\n")
            .doesNotContain(AGRONA_FLAG);
    }

    @Test
    void withEveryFlagTheDurableCheckPasses() throws Exception {
        List<String> flags = new ArrayList<>(JvmRequirements.DURABLE_LEDGER_FLAGS);
        if (Runtime.version().feature() >= 22) {
            flags.addAll(JvmRequirements.DURABLE_LEDGER_FLAGS_JDK22);
        }
        Outcome outcome = probe("durable", flags);

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("GRANTED 42");
    }

    @Test
    void theListsAreTheFlagsOfTheParentPom() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);

        assertThat(accessFlags(property(pom, "fanz.jvm.flags")))
            .containsExactlyElementsOf(JvmRequirements.DURABLE_LEDGER_FLAGS);
        assertThat(Arrays.asList(property(pom, "fanz.jvm.flags.jdk22").split("\\s+")))
            .containsExactlyElementsOf(JvmRequirements.DURABLE_LEDGER_FLAGS_JDK22);
        assertThat(JvmRequirements.DURABLE_LEDGER_FLAGS).containsAll(JvmRequirements.AGRONA_FLAGS);
    }

    private static String property(String pom, String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(pom);
        assertThat(matcher.find()).as("property %s in the parent POM", name).isTrue();
        return matcher.group(1).strip();
    }

    private static List<String> accessFlags(String flags) {
        return Arrays.stream(flags.split("\\s+")).filter(flag -> flag.startsWith("--add-")).toList();
    }

    /** Runs {@link JvmRequirementsProbe} in a new java with exactly {@code flags} (and none of ours). */
    private static Outcome probe(String check, List<String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JvmRequirementsProbe.class.getName());
        command.add(check);
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
