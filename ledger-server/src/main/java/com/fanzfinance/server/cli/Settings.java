package com.fanzfinance.server.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fanzfinance.server.config.ServerConfig;

/** Loads the server configuration for a subcommand, with command-line overrides, as a configuration error if invalid. */
final class Settings {
    private Settings() {
    }

    static ServerConfig load(Path configFile, Path dataDirectory) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        if (configFile != null) {
            environment.put("FANZ_CONFIG_FILE", configFile.toString());
        }
        if (dataDirectory != null) {
            environment.put("FANZ_DATA_DIR", dataDirectory.toString());
        }
        try {
            return ServerConfig.load(environment);
        } catch (IllegalArgumentException e) {
            throw new FanzCommand.ConfigurationException(e.getMessage());
        }
    }
}
