package com.fanzfinance.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fanz}: the ledger server's one command line. {@code serve} runs the service; {@code verify},
 * {@code replay} and {@code snapshot} look after its journal; {@code keys} manages API keys.
 *
 * <p>Exit status: 0 success, 1 the work failed (a damaged journal, a refused request), 2 bad usage,
 * 3 bad configuration.
 */
@Command(name = "fanz", mixinStandardHelpOptions = true, versionProvider = FanzCommand.Version.class,
    description = "FanzFinance ledger server and tools.",
    subcommands = {ServeCommand.class, VerifyCommand.class, ReplayCommand.class, SnapshotCommand.class,
        KeysCommand.class, ConfigCommand.class, ReadModelCommand.class, CommandLine.HelpCommand.class})
public final class FanzCommand implements Runnable {
    static final int FAILED = 1;
    static final int BAD_CONFIGURATION = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (serve, verify, replay, snapshot, keys,"
            + " config)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this rather than {@link #main}). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new FanzCommand());
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
