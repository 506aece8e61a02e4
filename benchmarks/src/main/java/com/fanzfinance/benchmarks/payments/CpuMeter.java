package com.fanzfinance.benchmarks.payments;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time spent on the run, on a machine other work may share (where wall time alone misleads): this JVM's
 * (server and senders) and, when PostgreSQL runs on this machine, that of the server's PostgreSQL backends,
 * found by the {@code ApplicationName} the server's JDBC URL carries ({@code /proc/<pid>/stat}, in clock
 * ticks of 10 ms, Linux's USER_HZ).
 */
final class CpuMeter {
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** Fields after the command's closing parenthesis in /proc/<pid>/stat: utime is the 12th, stime the 13th. */
    private static final int UTIME = 11;
    private static final int STIME = 12;

    private final String dbUrl;
    private final String applicationName;

    /** {@code dbUrl} null: no PostgreSQL reading (embedded, or not local). */
    CpuMeter(String dbUrl, String applicationName) {
        this.dbUrl = dbUrl;
        this.applicationName = applicationName;
    }

    /** CPU used so far: this JVM's, and per PostgreSQL backend (empty when they cannot be read). */
    record Reading(long jvmNanos, Map<Long, Long> backendTicks) {
    }

    /** CPU used between two readings; {@code postgresNanos} is -1 when unknown. */
    record Usage(long jvmNanos, long postgresNanos) {
    }

    Reading read() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
        return new Reading(jvm, dbUrl == null ? Map.of() : backendTicks());
    }

    /** The usage since {@code before}; a backend that appeared meanwhile counts from zero. */
    Usage since(Reading before) {
        Reading now = read();
        long postgres = -1;
        if (!now.backendTicks().isEmpty()) {
            long ticks = 0;
            for (Map.Entry<Long, Long> backend : now.backendTicks().entrySet()) {
                ticks += backend.getValue() - before.backendTicks().getOrDefault(backend.getKey(), 0L);
            }
            postgres = ticks * NANOS_PER_TICK;
        }
        return new Usage(now.jvmNanos() - before.jvmNanos(), postgres);
    }

    private Map<Long, Long> backendTicks() {
        Map<Long, Long> ticks = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(dbUrl);
             PreparedStatement query = connection.prepareStatement(
                 "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            query.setString(1, applicationName);
            try (ResultSet pids = query.executeQuery()) {
                while (pids.next()) {
                    long pid = pids.getLong(1);
                    Path stat = Path.of("/proc", Long.toString(pid), "stat");
                    if (!Files.isReadable(stat)) {
                        return Map.of();
                    }
                    String text = Files.readString(stat);
                    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                    ticks.put(pid, Long.parseLong(fields[UTIME]) + Long.parseLong(fields[STIME]));
                }
            }
        } catch (SQLException | IOException e) {
            return Map.of();
        }
        return ticks;
    }
}
