package com.fanzfinance.server.cli;

import java.io.BufferedReader;
import com.fanzfinance.server.testing.ChildJvm;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fanz serve} as a child process of the test JVM (same classpath and JVM flags, the server's own
 * logback.xml, port 0), optionally behind a pseudo-terminal made by {@code script(1)}, with everything it
 * prints collected. Used to check what an operator sees: the log format, signals and exit status.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready on port (\\d+)");
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    private static final int SIGINT = 2;

    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile int port;

    private ServeProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collectOutput, "serve-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether {@link #startInTerminal} can run here (it needs util-linux's {@code script}). */
    static boolean canStartInTerminal() {
        return Files.isExecutable(SCRIPT);
    }

    /**
     * False if this JVM ignores SIGINT — as a command started in the background by a shell without job
     * control does — since the server it starts inherits that and rightly keeps ignoring it (nohup).
     */
    static boolean canReceiveSigint() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return true;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (ignored & (1L << (SIGINT - 1))) == 0;
            }
        }
        return true;
    }

    /** Starts the server with its standard output a pipe, settings {@code FANZ_*} on top of the test ones. */
    static ServeProcess start(Path data, Map<String, String> settings) throws Exception {
        return start(data, settings, List.of());
    }

    /** As {@link #start(Path, Map)}, with {@code arguments} after {@code serve} (e.g. {@code --config FILE}). */
    static ServeProcess start(Path data, Map<String, String> settings, List<String> arguments) throws Exception {
        List<String> command = javaCommand();
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        return start(builder, data, settings);
    }

    /** Starts the server with a pseudo-terminal as its standard input and output, as at an operator's shell. */
    static ServeProcess startInTerminal(Path data, Map<String, String> settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "--quiet", "--return", "--command"));
        command.add("exec " + String.join(" ", javaCommand().stream().map(ServeProcess::shellQuoted).toList()));
        command.add("/dev/null");
        return start(new ProcessBuilder(command).redirectErrorStream(true), data, settings);
    }

    private static ServeProcess start(ProcessBuilder builder, Path data, Map<String, String> settings) throws Exception {
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("FANZ_"));
        environment.put("FANZ_HTTP_PORT", "0");
        environment.put("FANZ_DATA_DIR", data.toString());
        environment.put("FANZ_ACCOUNTS_MAX", "1000");
        environment.put("FANZ_TRANSFERS_MAX", "100000");
        environment.put("FANZ_MAPPED_STORES", "false");
        environment.put("FANZ_READ_MODEL", "false");
        environment.putAll(settings);
        ServeProcess server = new ServeProcess(builder.start());
        if (!server.ready.await(60, TimeUnit.SECONDS)) {
            server.process.destroyForcibly();
            throw new AssertionError("the server did not become ready:\n" + server.output());
        }
        return server;
    }

    private static List<String> javaCommand() {
        // The server's own logging setup, not the tests' quieter one.
        List<String> command = ChildJvm.command("-Xmx256m", "-Dlogback.configurationFile=logback.xml");
        command.add(FanzCommand.class.getName());
        command.add("serve");
        return command;
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private void collectOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    output.append(line.replace("\r", "")).append('\n');
                }
                Matcher matcher = READY.matcher(line);
                if (matcher.find()) {
                    port = Integer.parseInt(matcher.group(1));
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    int port() {
        return port;
    }

    /** Everything the server printed so far. */
    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** The Java process itself: the child, or under {@code script} the child's child. */
    ProcessHandle server() {
        return process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst()
            .orElse(process.toHandle());
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}) to the server, as {@code kill -NAME pid} does. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(server().pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Waits for the process to end and returns its exit status. */
    int exitStatus() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
