package com.fanzfinance.benchmarks.payments;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.benchmarks.load.LatencyRecorder;

/**
 * The payments intake benchmark (issue #13): a real server in this JVM with the durable journal, the read
 * model and payments on PostgreSQL; a tenant, its platform key, a Verotel merchant account and one checkout
 * per sale made first (not measured); then signed Verotel postbacks over HTTP from many concurrent senders,
 * each a distinct sale (or, with {@code --mix mixed}, also 10% re-deliveries and 5% refunds), a warm-up
 * and then the measured notifications. A notification counts when its 200 arrives: the webhook answers
 * only once the event is stored, verified and posted. Afterwards every event and the ledger's balances are
 * checked ({@link IntakeValidation}); a run that fails the check exits 1 whatever its speed.
 */
@Command(name = "intake-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures payment notifications ingested per second, verified and posted, end to end over HTTP.")
public final class IntakeBenchmark implements Callable<Integer> {
    static final int PLATFORM_BP = 2000;
    /** How far back duplicates and refunds reach, in senders' worth of deliveries. */
    private static final int LAG_PER_SENDER = 4;
    private static final int[] PERCENTILES = {1, 10, 50, 90, 95, 99, 100};

    @Option(names = "--notifications", description = "measured notifications; default ${DEFAULT-VALUE}")
    int notifications = 20_000;
    @Option(names = "--warmup", description = "notifications sent first, not measured; default ${DEFAULT-VALUE}")
    int warmup = 5_000;
    @Option(names = "--concurrency", description = "sending threads, one request in flight each; default ${DEFAULT-VALUE}")
    int concurrency = 64;
    @Option(names = "--creators", description = "creators the sales are spread over; default ${DEFAULT-VALUE}")
    int creators = 1_000;
    @Option(names = "--mix", description = "sales, or mixed (plus 10% duplicates and 5% refunds); default ${DEFAULT-VALUE}")
    IntakeWorkload.Mix mix = IntakeWorkload.Mix.SALES;
    @Option(names = "--db-url", description = "PostgreSQL of the read model and payments; default ${DEFAULT-VALUE}")
    String dbUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    @Option(names = "--embedded-db", description = "use the server's embedded PostgreSQL instead of --db-url")
    boolean embeddedDb;
    @Option(names = "--seed", description = "default ${DEFAULT-VALUE}")
    long seed = 42;
    @Option(names = "--keep", description = "keep the data directory and schemas after the run")
    boolean keep;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line and returns the exit status (0 passed, 1 failed, 2 usage); the tests' entry point. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        IntakeBenchmark command = new IntakeBenchmark();
        command.out = out;
        return BenchmarkCommands.execute(command, "intake-benchmark", out, err, args);
    }

    @Override
    public Integer call() throws Exception {
        if (notifications < 1 || warmup < 0 || concurrency < 1 || creators < 1) {
            throw new IllegalArgumentException(
                "--notifications, --concurrency and --creators must be positive, --warmup not negative");
        }
        IntakeWorkload workload = IntakeWorkload.of(warmup + notifications, creators, mix,
            LAG_PER_SENDER * concurrency, seed);
        try (IntakeServer server = IntakeServer.start(embeddedDb ? null : dbUrl, PLATFORM_BP, keep)) {
            out.println(server.describe());
            PaymentsApi api = new PaymentsApi(server.base(), server.adminKey());
            long started = System.nanoTime();
            IntakeSetup setup = IntakeSetup.prepare(api, workload, concurrency);
            out.printf(Locale.ROOT, "setup: tenant, platform key, Verotel merchant account, %d checkouts in %.1f s%n",
                setup.checkouts().length, (System.nanoTime() - started) / 1e9);

            IntakeDriver driver = new IntakeDriver(api, setup.merchantAccountId(), workload, setup.queries(), concurrency);
            if (warmup > 0) {
                IntakeDriver.Phase phase = driver.run(0, warmup);
                out.printf(Locale.ROOT, "warm-up: %d notifications in %.2f s (%.0f/s)%n", warmup,
                    phase.elapsedNanos() / 1e9, phase.perSecond());
            }
            CpuMeter.Reading before = server.cpu().read();
            IntakeDriver.Phase measured = driver.run(warmup, warmup + notifications);
            report(workload, measured, server.cpu().since(before));
            IntakeValidation.Report report = IntakeValidation.run(api, setup.key(), IntakeSetup.TENANT,
                setup.merchantAccountId(), workload, driver, ExpectedLedger.of(workload, PLATFORM_BP, IntakeSetup.FEES));
            if (!report.passed()) {
                out.println("validation failed: " + report.problemCount() + " problems");
                report.problems().forEach(problem -> out.println("  " + problem));
                return 1;
            }
            out.printf(Locale.ROOT, "validated %d notifications (warm-up included): each its own event, %d posted sales,"
                    + " %d duplicates, %d posted refunds; %d ledger balances exact%n", report.events(),
                workload.sales(), workload.count(IntakeWorkload.Kind.DUPLICATE, 0, workload.size()),
                workload.count(IntakeWorkload.Kind.REFUND, 0, workload.size()), report.balances());
            return 0;
        }
    }

    private void report(IntakeWorkload workload, IntakeDriver.Phase measured, CpuMeter.Usage cpu) {
        int from = warmup;
        int to = warmup + notifications;
        out.printf(Locale.ROOT, "measured: %d notifications (%d sales, %d duplicates, %d refunds) from %d senders,"
                + " %d creators, in %.2f s%n", notifications, workload.count(IntakeWorkload.Kind.SALE, from, to),
            workload.count(IntakeWorkload.Kind.DUPLICATE, from, to), workload.count(IntakeWorkload.Kind.REFUND, from, to),
            concurrency, creators, measured.elapsedNanos() / 1e9);
        out.printf(Locale.ROOT, "intake = %.0f notifications/s (target 5000)%n", measured.perSecond());
        out.printf(Locale.ROOT, "CPU per notification: JVM (server and senders) %.2f ms, %s; cores busy %.2f + %s%n",
            cpu.jvmNanos() / 1e6 / notifications,
            cpu.postgresNanos() < 0 ? "PostgreSQL unknown" : String.format(Locale.ROOT, "its PostgreSQL backends %.2f ms",
                cpu.postgresNanos() / 1e6 / notifications),
            (double) cpu.jvmNanos() / measured.elapsedNanos(),
            cpu.postgresNanos() < 0 ? "?" : String.format(Locale.ROOT, "%.2f", (double) cpu.postgresNanos() / measured.elapsedNanos()));
        long[] sorted = measured.latencies().sorted();
        for (int percentile : PERCENTILES) {
            out.printf(Locale.ROOT, "notification latency p%d = %.2f ms%n", percentile,
                LatencyRecorder.percentile(sorted, percentile) / 1e6);
        }
    }
}
