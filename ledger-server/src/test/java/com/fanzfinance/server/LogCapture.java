package com.fanzfinance.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * Everything logged while it is open, as text lines with all a log line carries (the message with its
 * arguments, key-value pairs, MDC, exceptions): the root logger at INFO and the server's own loggers at
 * DEBUG, as in production or more. The test console appenders are detached meanwhile, so that the
 * captured lines do not flood the test output; {@link #close} puts everything back.
 */
public final class LogCapture implements AutoCloseable {
    private static final String[] SERVER_LOGGERS = {"com.fanzfinance", "fanz"};

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final Logger root;
    private final Level rootLevel;
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final Map<String, Level> serverLevels = new HashMap<>();

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %msg %kvp %mdc %ex%n");
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(bytes);
        appender.setImmediateFlush(true);
        appender.start();
        root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender);
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        for (String name : SERVER_LOGGERS) {
            serverLevels.put(name, context.getLogger(name).getLevel());
            context.getLogger(name).setLevel(Level.DEBUG);
        }
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** What was logged so far. */
    public String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        LoggerContext context = root.getLoggerContext();
        serverLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
        root.setLevel(rootLevel);
        root.detachAppender(appender);
        detached.forEach(root::addAppender);
        appender.stop();
    }
}
