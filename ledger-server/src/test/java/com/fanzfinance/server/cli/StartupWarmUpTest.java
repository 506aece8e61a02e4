package com.fanzfinance.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * The warm-up of {@code fanz serve} names classes by string, so a dependency that renames one would leave it
 * warming nothing, silently: each name must load. And it never throws, whatever it is given.
 */
class StartupWarmUpTest {
    @Test
    void everyClassItWarmsUpExists() throws Exception {
        assertThat(StartupWarmUp.CLASSES).isNotEmpty();
        for (String name : StartupWarmUp.CLASSES) {
            assertThat(Class.forName(name, false, StartupWarmUp.class.getClassLoader())).isNotNull();
        }
    }

    @Test
    void itRunsOnADaemonThreadAndEnds() throws Exception {
        Thread thread = StartupWarmUp.start();
        assertThat(thread.isDaemon()).isTrue();
        thread.join(60_000);
        assertThat(thread.isAlive()).isFalse();
        assertThatCode(StartupWarmUp::run).doesNotThrowAnyException();
    }
}
