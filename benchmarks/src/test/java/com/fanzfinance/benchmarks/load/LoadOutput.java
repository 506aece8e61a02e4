package com.fanzfinance.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in this JVM and checks the shape of what it printed. */
final class LoadOutput {
    final int exitStatus;
    final String out;
    final String err;

    private LoadOutput(int exitStatus, String out, String err) {
        this.exitStatus = exitStatus;
        this.out = out;
        this.err = err;
    }

    static LoadOutput run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LoadGenerator.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new LoadOutput(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The lines TigerBeetle's benchmark prints, in its form, for the load and the queries. */
    LoadOutput hasTigerBeetleLines(String... extraLabels) {
        assertThat(out).containsPattern("(?m)^load accepted = \\d+ tx/s$");
        for (String label : concat("batch", "query", extraLabels)) {
            for (int percentile : LatencyRecorder.PERCENTILES) {
                assertThat(out).containsPattern("(?m)^" + label + " latency p" + percentile + " = \\d+\\.\\d{2} ms$");
            }
        }
        return this;
    }

    private static String[] concat(String first, String second, String... rest) {
        String[] all = new String[rest.length + 2];
        all[0] = first;
        all[1] = second;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    @Override
    public String toString() {
        return "exit " + exitStatus + "\n--- out\n" + out + "--- err\n" + err;
    }
}
