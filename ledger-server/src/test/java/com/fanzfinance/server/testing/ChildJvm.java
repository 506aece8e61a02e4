package com.fanzfinance.server.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a command line that runs a class of the test class path in a child JVM, as a user would run
 * it: this JVM's {@code java}, the JVM flags the build gives the tests (Chronicle's and Agrona's, the JDK 22+
 * ones), then {@code options}, then the class path. Add the main class and its arguments.
 *
 * <p>One flag a user would not give: the children compile with the JIT's first tier only
 * ({@code -XX:TieredStopAtLevel=1}). They live for seconds, several at a time, on the same two cores as the
 * test JVM, where the second tier's compiler threads mostly take CPU from them and from one another: this
 * module's six tests that start servers took 141 s instead of 180 (the cluster's 54 s instead of 78), and a
 * server alone on an idle machine was ready in 1.8 s instead of 2.4. What the children do is the same either way.
 * (ledger-core's crash test got slower with it, 117 s against 90: its children replay and check a growing
 * journal at every restart, which the second tier compiles better; it keeps both tiers.)
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static List<String> command(String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access")
                || argument.startsWith("--sun-misc") || argument.startsWith("-Dchronicle")) {
                command.add(argument);
            }
        }
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(List.of(options));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }
}
