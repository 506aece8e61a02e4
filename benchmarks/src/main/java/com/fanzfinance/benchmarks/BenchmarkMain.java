package com.fanzfinance.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH with the command line it was given, prepending to every forked JVM the flags Chronicle Queue
 * and Agrona need (read from the build, where they are defined once) and enough direct memory for the
 * transfer stores.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        String[] flags = (jvmFlags() + " -XX:MaxDirectMemorySize=16g").trim().split("\\s+");
        new Runner(new OptionsBuilder().parent(commandLine).jvmArgsPrepend(flags).build()).run();
    }

    /** The JVM flags from {@code fanz-jvm.properties}, filtered by Maven from the parent POM. */
    public static String jvmFlags() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = BenchmarkMain.class.getResourceAsStream("/fanz-jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("fanz-jvm.properties is missing from the benchmarks jar");
            }
            properties.load(in);
        }
        return properties.getProperty("jvm.flags", "");
    }
}
