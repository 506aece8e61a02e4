package com.fanzfinance.platform;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fanz-platform}: the platform services' command line. {@code serve} runs some or all of the four
 * services in this process; {@code demo} first provisions what they need from a running ledger server (its
 * brands, a platform key, service keys, an identity admin) and then runs all four — the zero-setup path
 * behind {@code ./fanz platform}; {@code audit-verify} checks the compliance audit log's hash chain.
 *
 * <p>Exit status: 0 success, 1 the work failed (a broken audit chain, an unreachable ledger), 2 bad usage,
 * 3 bad configuration.
 */
@Command(name = "fanz-platform", mixinStandardHelpOptions = true, version = "fanz-platform 0.1.0",
    description = "FanzFinance platform services: identity, content, compliance and media.",
    subcommands = {PlatformCommand.Serve.class, PlatformCommand.Demo.class, AuditVerifyCommand.class,
        CommandLine.HelpCommand.class})
public final class PlatformCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;
    static final int BAD_CONFIGURATION = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_USAGE;
    }

    public static void main(String[] args) {
        CommandLine line = new CommandLine(new PlatformCommand());
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("fanz-platform: " + e.getMessage());
                return BAD_CONFIGURATION;
            }
            throw e;
        });
        System.exit(line.execute(args));
    }

    /** Runs {@code platform} until the JVM is asked to stop (SIGTERM, Ctrl-C), then stops it cleanly. */
    static int runUntilStopped(Platform platform) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            stopped.countDown();
        }, "platform-shutdown"));
        stopped.await();
        return 0;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs platform services in this process (all four unless --services names some).",
            "Settings come from the environment: FANZ_PLATFORM_DB_URL (else an embedded PostgreSQL under"
                + " FANZ_PLATFORM_DATA), FANZ_<SERVICE>_PORT and _URL, FANZ_LEDGER_URL, FANZ_LEDGER_KEY,"
                + " FANZ_SERVICE_KEY_<SERVICE>; see docs/platform-services.md."})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--services", split = ",", paramLabel = "NAME",
            description = "Which services: identity, content, compliance, media (default: all).")
        private List<String> services;

        @Override
        public Integer call() throws InterruptedException {
            Set<String> chosen = services == null ? new LinkedHashSet<>(Platform.SERVICES) : new LinkedHashSet<>(services);
            Platform platform = Platform.start(PlatformSettings.fromEnvironment(), chosen);
            return runUntilStopped(platform);
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Provisions the platform from a running ledger server and runs all four services.",
            "Needs the ledger's admin key (the file the ledger wrote on its first start). Registers the brands"
                + " in the ledger, makes a platform key there and service keys here (kept, owner-only, under"
                + " FANZ_PLATFORM_DATA), an identity admin whose password is written there too, then serves."})
    static final class Demo implements Callable<Integer> {
        @Option(names = "--ledger-admin-key-file", defaultValue = "data/admin.key", paramLabel = "FILE",
            description = "The ledger's admin key file (default: ${DEFAULT-VALUE}).")
        private Path adminKeyFile;

        @Override
        public Integer call() throws InterruptedException {
            PlatformSettings settings = PlatformSettings.fromEnvironment();
            Map<String, String> provisioned;
            try {
                provisioned = DemoProvisioning.provision(settings, adminKeyFile);
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                System.err.println("fanz-platform: " + e.getMessage());
                return FAILED;
            }
            Platform platform = Platform.start(settings.with(provisioned), new LinkedHashSet<>(Platform.SERVICES));
            DemoProvisioning.printSummary(settings.with(provisioned), platform, System.out);
            return runUntilStopped(platform);
        }
    }
}
