package com.fanzfinance.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

/**
 * {@code --watch-lag} against a real server whose read model is on, in a fresh schema of the test database: the
 * run reports the lag and waits until the read model holds every transfer it sent; and the metric reader itself.
 */
class LagWatchEndToEndTest {
    @TempDir
    Path dataDirectory;
    private String schema;
    private TestServer server;

    @BeforeEach
    void startServer() {
        schema = TestDatabase.freshSchema("lag_watch");
        server = TestServer.start(dataDirectory, TestDatabase.readModelSettings(schema));
    }

    @AfterEach
    void stopServer() {
        try {
            server.close();
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void theRunReportsTheLagAndEndsOnlyOnceTheReadModelHoldsEveryTransfer() {
        LoadOutput run = LoadOutput.run("--url", server.base().toString(), "--api-key", TestServer.ADMIN_KEY,
            "--seed", "21", "--account-count", "100", "--transfer-count", "12000", "--transfer-batch-size", "500",
            "--clients", "2", "--query-count", "0", "--rate", "6000", "--watch-lag");

        assertThat(run.exitStatus).as(run.toString()).isZero();
        assertThat(run.out).containsPattern("(?m)^read-model lag peak = \\d+\\.\\d\\d s \\(\\d+\\.\\d s after the load began\\)$")
            .containsPattern("(?m)^read-model lag during the load p50 = \\d+\\.\\d\\d s, p90 = \\d+\\.\\d\\d s, p99 = "
                + "\\d+\\.\\d\\d s \\((\\d+) readings every 200 ms\\)$")
            .containsPattern("(?m)^read model caught up \\d+\\.\\d\\d s after the load ended$");
        // The load is paced to about 2 s: readings every 200 ms are taken throughout it (at least a few, however busy
        // the machine), and none failed.
        Matcher readings = Pattern.compile("\\((\\d+) readings every 200 ms\\)").matcher(run.out);
        assertThat(readings.find()).isTrue();
        assertThat(Integer.parseInt(readings.group(1))).isGreaterThanOrEqualTo(3);
        assertThat(run.out).doesNotContain("readings that failed");
        // Caught up: right after the run, with nothing posted since, the read model lacks no command.
        assertThat(server.get("/metrics", TestServer.ADMIN_KEY).text())
            .containsPattern("(?m)^fanz_readmodel_lag_commands 0\\.0$");
    }

    @Test
    void theLagGaugesAreReadFromPrometheusText() {
        String metrics = String.join("\n", List.of(
            "# HELP fanz_readmodel_lag_seconds how far behind",
            "# TYPE fanz_readmodel_lag_seconds gauge",
            "fanz_readmodel_lag_seconds_total 99.0",
            "fanz_readmodel_lag_seconds 1.25",
            "fanz_readmodel_lag_commands{instance=\"a\"} 42.0",
            ""));
        assertThat(LagWatch.gauge(metrics, LagWatch.LAG_SECONDS)).isEqualTo(1.25);
        assertThat(LagWatch.gauge(metrics, LagWatch.LAG_COMMANDS)).isEqualTo(42.0);
        assertThat(LagWatch.gauge(metrics, "fanz_readmodel_position")).isNaN();
        assertThat(LagWatch.gauge("", LagWatch.LAG_SECONDS)).isNaN();
        assertThat(LagWatch.gauge("fanz_readmodel_lag_seconds 2.5 1700000000000\n", LagWatch.LAG_SECONDS))
            .as("a sample with a timestamp").isEqualTo(2.5);
        assertThat(LagWatch.gauge("fanz_readmodel_lag_seconds{a=\"x y\"} +Inf\n", LagWatch.LAG_SECONDS)).isInfinite();
        assertThat(LagWatch.gauge("fanz_readmodel_lag_seconds oops\n", LagWatch.LAG_SECONDS)).isNaN();
    }
}
