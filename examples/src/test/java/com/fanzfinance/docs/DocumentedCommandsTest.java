package com.fanzfinance.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import com.fanzfinance.platform.PlatformCommand;
import com.fanzfinance.server.cli.FanzCommand;

/**
 * Every {@code fanz} command line the docs show (in code: {@code ./fanz …}, {@code fanz …},
 * {@code java -jar …/fanz.jar …}) names commands, subcommands and options the real command line has, and
 * so does every {@code fanz-platform} one ({@code java -jar …/fanz-platform.jar …}). The commands are read
 * from picocli's models of {@link FanzCommand} and {@link PlatformCommand}, so a renamed or removed command
 * fails here until the docs follow. {@code ./fanz platform} is the launcher script's own command: it runs
 * {@code fanz-platform demo} with the options given, so it is checked against that.
 */
class DocumentedCommandsTest {
    /** How the docs start the command line: the launcher script, the bare name, or the jar. */
    private static final Pattern LAUNCHER = Pattern.compile("(?:\\./|[\\w./-]*/)?fanz(?:\\.jar)?");
    private static final Pattern PLATFORM_LAUNCHER = Pattern.compile("(?:[\\w./-]*/)?fanz-platform(?:\\.jar)?");
    private static final Pattern SHELL_OPERATOR = Pattern.compile("[|&;<>]+|#.*|\\$?\\(|\\)");
    private static final Pattern SHELL_COMMENT = Pattern.compile("(?:^|\\s)#.*$");
    private static final String QUOTES_AND_BRACKETS = "'\"[]()";

    @Test
    void everyDocumentedCommandExists() {
        CommandLine fanz = fanzWithItsScriptCommands();
        CommandLine platform = new CommandLine(new PlatformCommand());
        List<String> unknown = new ArrayList<>();
        int commandLines = 0;
        for (String file : RepositoryFiles.trackedMarkdown()) {
            MarkdownFile markdown = MarkdownFile.read(file);
            commandLines += (int) markdown.code().stream().filter(code -> launcherAt(tokens(code)) >= 0).count();
            unknown.addAll(unknownCommands(fanz, markdown));
            unknown.addAll(unknownCommands(PLATFORM_LAUNCHER, platform, markdown));
        }
        assertThat(commandLines).as("fanz command lines found in the docs").isGreaterThanOrEqualTo(10);
        assertThat(unknown).as("command lines in the docs that fanz does not have (fix the doc, or add the command"
            + " or option to ledger-server's cli package)").isEmpty();
    }

    @Test
    void theCheckSeesUnknownCommandsSubcommandsAndOptions() {
        CommandLine fanz = new CommandLine(new FanzCommand());
        MarkdownFile file = MarkdownFile.of("docs/x.md", String.join("\n",
            "Run `./fanz serve`, `fanz keys create|list|revoke [--offline]` or `./fanz read-model rebuild`.",
            "```",
            "FANZ_DATA_DIR=/var/lib/fanz ./fanz verify --data DIR   # what ./fanz does",
            "./fanz serv",
            "./fanz keys lst",
            "java -jar ledger-server/target/fanz.jar config --chek",
            "```"));

        assertThat(unknownCommands(fanz, file)).containsExactly(
            "docs/x.md:4: `./fanz serv` — 'serv' is not a command of 'fanz' (it has: " + commandNames(fanz) + ")",
            "docs/x.md:5: `./fanz keys lst` — 'lst' is not a command of 'fanz keys' (it has: create, list, revoke)",
            "docs/x.md:6: `java -jar ledger-server/target/fanz.jar config --chek` — 'fanz config' has no option '--chek'");
    }

    @Test
    void theScriptsPlatformCommandTakesTheDemosOptions() {
        CommandLine fanz = fanzWithItsScriptCommands();
        MarkdownFile file = MarkdownFile.of("docs/x.md", String.join("\n",
            "```", "./fanz platform", "./fanz platform --ledger-admin-key-file data/admin.key",
            "./fanz platform --no-such-option", "java -jar platform-services/target/fanz-platform.jar serv", "```"));

        assertThat(unknownCommands(fanz, file)).containsExactly(
            "docs/x.md:4: `./fanz platform --no-such-option` — 'fanz demo' has no option '--no-such-option'");
        assertThat(unknownCommands(PLATFORM_LAUNCHER, new CommandLine(new PlatformCommand()), file)).hasSize(1);
    }

    /**
     * {@link FanzCommand}'s model plus the commands the {@code fanz} script handles itself before it starts the
     * server's jar: {@code platform}, which takes {@code fanz-platform demo}'s options (the script must have it).
     */
    static CommandLine fanzWithItsScriptCommands() {
        assertThat(RepositoryFiles.read("fanz")).contains("if [[ \"${1:-}\" == \"platform\" ]]; then");
        CommandLine fanz = new CommandLine(new FanzCommand());
        fanz.addSubcommand("platform", new CommandLine(new PlatformCommand()).getSubcommands().get("demo")
            .getCommandSpec().userObject());
        return fanz;
    }

    static List<String> unknownCommands(CommandLine fanz, MarkdownFile file) {
        return unknownCommands(LAUNCHER, fanz, file);
    }

    static List<String> unknownCommands(Pattern launcher, CommandLine root, MarkdownFile file) {
        CommandLine fanz = root;
        List<String> unknown = new ArrayList<>();
        for (MarkdownFile.Line code : file.code()) {
            String[] tokens = tokens(code);
            for (int start = 0; start < tokens.length; start++) {
                if (launcher.matcher(unquote(tokens[start])).matches()) {
                    String problem = problemWith(fanz, tokens, start + 1);
                    if (problem != null) {
                        unknown.add(file.path() + ":" + code.number() + ": `" + code.text().trim() + "` — " + problem);
                    }
                }
            }
        }
        return unknown;
    }

    private static String[] tokens(MarkdownFile.Line code) {
        return SHELL_COMMENT.matcher(code.text()).replaceFirst("").trim().split("\\s+");
    }

    private static int launcherAt(String[] tokens) {
        for (int index = 0; index < tokens.length; index++) {
            if (LAUNCHER.matcher(unquote(tokens[index])).matches()) {
                return index;
            }
        }
        return -1;
    }

    /** Walks the arguments after the launcher down picocli's model; null if they all exist. */
    private static String problemWith(CommandLine fanz, String[] tokens, int first) {
        List<CommandLine> current = List.of(fanz);
        for (int index = first; index < tokens.length; index++) {
            String token = unquote(tokens[index]);
            if (token.isEmpty() || SHELL_OPERATOR.matcher(token).matches()) {
                return null;
            }
            if (token.startsWith("-")) {
                String name = token.split("=", 2)[0];
                boolean takesValue = false;
                for (CommandLine command : current) {
                    OptionSpec option = command.getCommandSpec().findOption(name);
                    if (option == null) {
                        return "'" + qualifiedName(command) + "' has no option '" + name + "'";
                    }
                    takesValue = option.arity().max() > 0;
                }
                if (takesValue && !token.contains("=")) {
                    index++;
                }
            } else if (current.stream().allMatch(command -> command.getSubcommands().isEmpty())) {
                return null;
            } else {
                List<CommandLine> next = new ArrayList<>();
                for (String alternative : token.split("\\|")) {
                    for (CommandLine command : current) {
                        CommandLine subcommand = command.getSubcommands().get(alternative);
                        if (subcommand == null) {
                            return "'" + alternative + "' is not a command of '" + qualifiedName(command) + "' (it has: "
                                + commandNames(command) + ")";
                        }
                        next.add(subcommand);
                    }
                }
                current = next;
            }
            if (endsQuotedText(tokens[index])) {
                return null;
            }
        }
        return null;
    }

    private static String unquote(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && QUOTES_AND_BRACKETS.indexOf(token.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && QUOTES_AND_BRACKETS.indexOf(token.charAt(end - 1)) >= 0) {
            end--;
        }
        return token.substring(start, end);
    }

    private static boolean endsQuotedText(String token) {
        return token.endsWith("'") || token.endsWith("\"") || token.endsWith(")");
    }

    private static String qualifiedName(CommandLine command) {
        return command.getCommandSpec().qualifiedName();
    }

    private static String commandNames(CommandLine command) {
        return String.join(", ", command.getSubcommands().keySet());
    }
}
