package com.fanzfinance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fanzfinance.docs.RepositoryFiles;

/**
 * A program run as a real process, the way a user runs it; above all {@code examples/run NAME ARGS…}, with
 * the build's class path and the JVM flags from the parent POM. {@code FANZ_EXAMPLES_NO_BUILD} makes the
 * script fail rather than start a nested Maven build if the examples look stale.
 */
record ExampleProcess(int exitStatus, String out, String err) {
    private static final long TIMEOUT_SECONDS = 120;

    static ExampleProcess runExample(Path workingDirectory, String example, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(RepositoryFiles.root().resolve("examples/run").toString());
        command.add(example);
        command.addAll(List.of(arguments));
        return run(workingDirectory, command);
    }

    /** Runs {@code command} in {@code workingDirectory} with this JVM's JDK; its output goes to files in that directory. */
    static ExampleProcess run(Path workingDirectory, List<String> command) {
        try {
            Path out = Files.createTempFile(workingDirectory, "process-", ".out");
            Path err = Files.createTempFile(workingDirectory, "process-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("FANZ_EXAMPLES_NO_BUILD", "1");
            builder.environment().remove("FANZ_JAVA_OPTS");
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s; it printed: "
                    + Files.readString(out) + Files.readString(err));
            }
            return new ExampleProcess(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
