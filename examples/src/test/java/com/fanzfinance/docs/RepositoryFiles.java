package com.fanzfinance.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The repository the tests run in: its root (surefire passes {@code fanz.repository.root}) and the files
 * git tracks there, which are the files a clone has. Without git (a source archive) every file outside
 * build output and hidden folders stands in for them.
 */
public final class RepositoryFiles {
    private static final long GIT_TIMEOUT_SECONDS = 60;

    private RepositoryFiles() {
    }

    public static Path root() {
        Path root = Path.of(System.getProperty("fanz.repository.root", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("ledger-core"))) {
            throw new IllegalStateException(root + " is not the repository root (set -Dfanz.repository.root)");
        }
        return root;
    }

    /** Every tracked file, relative to the root, with '/' separators. */
    public static List<String> tracked() {
        List<String> fromGit = gitLsFiles();
        return fromGit != null ? fromGit : walk();
    }

    public static List<String> trackedMarkdown() {
        return tracked().stream().filter(file -> file.endsWith(".md")).toList();
    }

    public static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's text, or null for a binary file (one with a NUL byte). */
    public static String readText(String relative) {
        try {
            byte[] bytes = Files.readAllBytes(root().resolve(relative));
            for (byte b : bytes) {
                if (b == 0) {
                    return null;
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> gitLsFiles() {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z").directory(root().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] output = git.getInputStream().readAllBytes();
            if (!git.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || git.exitValue() != 0) {
                git.destroyForcibly();
                return null;
            }
            List<String> files = new ArrayList<>();
            for (String name : new String(output, StandardCharsets.UTF_8).split("\0")) {
                if (!name.isEmpty() && Files.isRegularFile(root().resolve(name))) {
                    files.add(name);
                }
            }
            return files;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> walk() {
        Path root = root();
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                .map(path -> root.relativize(path).toString().replace('\\', '/'))
                .filter(name -> Stream.of(name.split("/")).noneMatch(part -> part.equals("target") || part.startsWith(".")
                    && !part.equals(".ci") && !part.equals(".mvn")))
                .sorted()
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
