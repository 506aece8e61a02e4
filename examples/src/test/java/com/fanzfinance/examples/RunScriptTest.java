package com.fanzfinance.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/run says what is wrong instead of starting Java with a stack trace. */
class RunScriptTest {
    @Test
    void anUnknownExampleIsAUsageError(@TempDir Path temporary) {
        ExampleProcess run = ExampleProcess.runExample(temporary, "NoSuchExample");

        assertThat(run.exitStatus()).isEqualTo(2);
        assertThat(run.err()).contains("no example named 'NoSuchExample'");
    }

    @Test
    void theClientExampleWithoutServerAndKeyPrintsItsUsage(@TempDir Path temporary) {
        ExampleProcess run = ExampleProcess.runExample(temporary, "LedgerClientExample");

        assertThat(run.exitStatus()).isEqualTo(2);
        assertThat(run.err()).startsWith("usage: LedgerClientExample SERVER_URL API_KEY");
    }
}
