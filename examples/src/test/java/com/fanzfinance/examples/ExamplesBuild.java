package com.fanzfinance.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fanzfinance.docs.RepositoryFiles;

/**
 * What the build leaves for {@code examples/run}: the runtime class path a user's program has
 * ({@code target/classpath.txt}) and the JVM flags from the parent POM ({@code fanz-jvm.properties}).
 */
final class ExamplesBuild {
    private static final int FIRST_JDK_WITH_EXTRA_FLAGS = 22;

    private ExamplesBuild() {
    }

    static String runtimeClasspath() {
        try {
            return Files.readString(target().resolve("classpath.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The examples' compiled classes and resources. */
    static Path classes() {
        return target().resolve("classes");
    }

    /** The flags the run script adds for the JDK these tests run on. */
    static List<String> jvmFlags() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(classes().resolve("fanz-jvm.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> flags = new ArrayList<>(List.of(properties.getProperty("jvm.flags").trim().split("\\s+")));
        if (Runtime.version().feature() >= FIRST_JDK_WITH_EXTRA_FLAGS) {
            flags.addAll(List.of(properties.getProperty("jvm.flags.jdk22").trim().split("\\s+")));
        }
        return flags;
    }

    private static Path target() {
        return RepositoryFiles.root().resolve("examples/target");
    }
}
