package com.fanzfinance.benchmarks.payments;

import java.io.PrintStream;
import java.io.PrintWriter;

import picocli.CommandLine;

/** How the payments benchmarks run their command lines: output to the given streams, errors as one line and a status. */
final class BenchmarkCommands {
    private BenchmarkCommands() {
    }

    /**
     * Runs {@code command} with {@code args}; a failure prints {@code name: message} on {@code err}.
     *
     * @return the exit status: the command's, 1 when it failed, 2 for a usage error (an {@link IllegalArgumentException})
     */
    static int execute(Object command, String name, PrintStream out, PrintStream err, String... args) {
        return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true)
            .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler((exception, line, parseResult) -> {
                err.println(name + ": " + exception.getMessage());
                return exception instanceof IllegalArgumentException ? 2 : 1;
            })
            .execute(args);
    }
}
