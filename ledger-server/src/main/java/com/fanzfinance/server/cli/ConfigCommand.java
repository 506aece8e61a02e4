package com.fanzfinance.server.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fanzfinance.server.config.ServerConfig;

/** Lists every setting with its default, or checks the current environment's settings. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "List the settings (FANZ_* variables) with their defaults; --check validates the current ones.")
final class ConfigCommand implements Runnable {
    @Option(names = "--check", description = "validate the environment (and --config file) and report problems")
    private boolean check;

    @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines")
    private Path configFile;

    @Override
    public void run() {
        if (check) {
            Settings.load(configFile, null);
            System.out.println("configuration is valid");
            return;
        }
        ServerConfig.SETTINGS.forEach((name, spec) -> System.out.printf("%-26s %-14s %s%n", name,
            spec[0] == null ? "(none)" : spec[0], spec[1]));
    }
}
