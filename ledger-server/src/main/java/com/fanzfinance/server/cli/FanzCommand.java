package com.fanzfinance.server.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fanz}: the ledger server's one command line. {@code serve} runs the service; {@code verify},
 * {@code replay} and {@code snapshot} look after its journal; {@code keys} manages API keys;
 * {@code config} lists the settings; {@code read-model rebuild} projects the read model again.
 *
 * <p>Exit status: 0 success (a server stopped by SIGTERM or Ctrl-C included), 1 the work failed (a
 * damaged journal, a refused request, a server that cannot be reached), 2 bad usage, 3 bad configuration.
 */
@Command(name = "fanz", mixinStandardHelpOptions = true, versionProvider = FanzCommand.Version.class,
    description = "FanzFinance ledger server and tools.",
    subcommands = {ServeCommand.class, VerifyCommand.class, ReplayCommand.class, SnapshotCommand.class,
        KeysCommand.class, ConfigCommand.class, ReadModelCommand.class, PaymentsCommand.class, ReconcileCommand.class,
        CommandLine.HelpCommand.class})
public final class FanzCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;
    static final int BAD_CONFIGURATION = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Bare {@code fanz}: every command there is, read from the command tree so that none can be left out. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("Usage: fanz COMMAND [OPTIONS]   ('fanz COMMAND --help' for a command's options)");
        err.println();
        err.println("Commands:");
        commands(spec).forEach((name, description) -> err.printf("  %-20s %s%n", name, description));
        err.flush();
        return BAD_USAGE;
    }

    /** The runnable commands, {@code serve} to {@code read-model rebuild}, each with its description's first sentence. */
    private static Map<String, String> commands(CommandLine.Model.CommandSpec root) {
        Map<String, String> commands = new LinkedHashMap<>();
        root.subcommands().forEach((name, line) -> {
            if (line.getCommandSpec().helpCommand()) {
                return;
            }
            if (line.getSubcommands().isEmpty()) {
                commands.put(name, firstSentence(line.getCommandSpec()));
            }
            line.getSubcommands().forEach((child, childLine) -> commands.put(name + " " + child,
                firstSentence(childLine.getCommandSpec())));
        });
        return commands;
    }

    private static String firstSentence(CommandLine.Model.CommandSpec command) {
        String[] description = command.usageMessage().description();
        String text = description.length == 0 ? "" : description[0];
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this rather than {@link #main}). */
    public static int execute(String... args) {
        boolean serve = args.length > 0 && args[0].equals("serve");
        CommandLine commandLine;
        if (serve) {
            // A start waits for this: picocli models every command of the tree by reflection, from class files the
            // class-data archive cannot hold (picocli's are Java 5's); `serve` alone starts ~0.1 s sooner. Under
            // this name its usage and errors read as the tree's `serve` (FanzCommandTest).
            commandLine = new CommandLine(new ServeCommand()).setCommandName("fanz serve");
            args = Arrays.copyOfRange(args, 1, args.length);
        } else {
            commandLine = new CommandLine(new FanzCommand());
        }
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                line.getErr().println("fanz: " + e.getMessage());
                return e instanceof ConfigurationException ? BAD_CONFIGURATION : FAILED;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    /** A configuration that does not validate; exits with {@link #BAD_CONFIGURATION}. */
    static final class ConfigurationException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ConfigurationException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FanzCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fanz " + (version == null ? "development build" : version)};
        }
    }
}
