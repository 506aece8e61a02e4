package com.fanzfinance.server.cli;

import java.util.Locale;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * Chooses the log format for logback.xml: {@code FANZ_LOG_FORMAT} (the system property {@code serve}
 * sets from its configuration, else the environment variable) is {@code json}, {@code text} or
 * {@code auto}, the default: text when a person is at a terminal, JSON lines for a log collector
 * otherwise. Logback asks once, when logging starts.
 */
public final class LogFormatDefiner extends PropertyDefinerBase {
    static final String SETTING = "FANZ_LOG_FORMAT";

    @Override
    public String getPropertyValue() {
        String setting = System.getProperty(SETTING, System.getenv(SETTING));
        return resolve(setting, Terminal.isInteractive());
    }

    /** The appender name: {@code text} or {@code json}. */
    static String resolve(String setting, boolean terminal) {
        String format = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (format) {
            case "json", "text" -> format;
            default -> terminal ? "text" : "json";
        };
    }
}
