package com.fanzfinance.server;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * Collects what one logger writes, at the level a test asks for, while it is open; closing restores the
 * logger. For tests that check what the server logs (the access log, warnings), not how it is formatted.
 */
public final class LoggerEvents implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final Collector collector = new Collector();

    private LoggerEvents(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        logger.setLevel(level);
        collector.setContext(logger.getLoggerContext());
        collector.start();
        logger.addAppender(collector);
    }

    /** Captures {@code loggerName} at {@code level} (DEBUG, INFO, …) and above. */
    public static LoggerEvents of(String loggerName, String level) {
        return new LoggerEvents(loggerName, Level.toLevel(level));
    }

    /** What was logged so far. */
    public List<ILoggingEvent> events() {
        synchronized (collector.events) {
            return new ArrayList<>(collector.events);
        }
    }

    /** The value of key {@code name} in {@code event}'s key-value pairs, or null. */
    public static Object value(ILoggingEvent event, String name) {
        if (event.getKeyValuePairs() == null) {
            return null;
        }
        return event.getKeyValuePairs().stream().filter(pair -> pair.key.equals(name)).map(pair -> pair.value)
            .findFirst().orElse(null);
    }

    @Override
    public void close() {
        logger.detachAppender(collector);
        collector.stop();
        logger.setLevel(previousLevel);
    }

    private static final class Collector extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> events = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            synchronized (events) {
                events.add(event);
            }
        }
    }
}
