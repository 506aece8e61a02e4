package com.fanzfinance.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory from {@code /proc/PID/status}: {@code VmRSS} now and {@code VmHWM}, the peak.
 * Linux only.
 */
public record ServerMemory(long residentKib, long peakResidentKib) {
    public static ServerMemory of(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    }

    static ServerMemory parse(String status) {
        return new ServerMemory(field(status, "VmRSS:"), field(status, "VmHWM:"));
    }

    public String line() {
        return "server rss = " + residentKib / 1024 + " MiB (peak " + peakResidentKib / 1024 + " MiB)";
    }

    private static long field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                String value = line.substring(name.length()).trim();
                return Long.parseLong(value.substring(0, value.indexOf(' ')).trim());
            }
        }
        throw new IllegalStateException(name + " is missing from /proc/PID/status");
    }
}
