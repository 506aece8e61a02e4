package com.fanzfinance.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.docs.RepositoryFiles;

/**
 * The README's embedding snippet compiles and runs as shown: its imports and statements are put into a
 * main method, compiled against the class path a user's program has, and run in a fresh directory with
 * the JVM flags the README names. It must write to its own directory, never the server's {@code data}.
 */
class ReadmeEmbeddingSnippetTest {
    private static final String FENCE = "```";

    @Test
    void theReadmeSnippetCompilesRunsAndLeavesTheServersDirectoryAlone(@TempDir Path temporary) throws Exception {
        List<String> snippet = firstJavaBlock(RepositoryFiles.read("README.md"));
        Path source = temporary.resolve("src/ReadmeSnippet.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, asProgram(snippet));
        Path classes = Files.createDirectories(temporary.resolve("classes"));
        Path work = Files.createDirectories(temporary.resolve("work"));

        compile(source, classes);
        ExampleProcess run = runJava(work, classes);

        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("500\n");
        assertThat(work.resolve("ledger-data")).isDirectory();
        assertThat(work.resolve("data")).doesNotExist();
    }

    private static List<String> firstJavaBlock(String readme) {
        List<String> block = new ArrayList<>();
        boolean inside = false;
        for (String line : readme.split("\n")) {
            if (!inside && line.trim().equals(FENCE + "java")) {
                inside = true;
            } else if (inside && line.trim().equals(FENCE)) {
                return block;
            } else if (inside) {
                block.add(line);
            }
        }
        throw new AssertionError("README.md has no ```java block (the embedding snippet)");
    }

    private static String asProgram(List<String> snippet) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        return imports + "\npublic class ReadmeSnippet {\n    public static void main(String[] args) throws Exception {\n"
            + body + "    }\n}\n";
    }

    private static void compile(Path source, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
            List.of("--release", "17", "-classpath", ExamplesBuild.runtimeClasspath(), "-d", classes.toString()), null,
            javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        assertThat(compiled).as("the README snippet does not compile:\n" + diagnostics).isTrue();
    }

    private static ExampleProcess runJava(Path work, Path classes) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ExamplesBuild.jvmFlags());
        // The examples' classes bring their logback.xml, as a program brings its own logging configuration.
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classes.toString(), ExamplesBuild.classes().toString(),
            ExamplesBuild.runtimeClasspath()), "ReadmeSnippet"));
        return ExampleProcess.run(work, command);
    }
}
