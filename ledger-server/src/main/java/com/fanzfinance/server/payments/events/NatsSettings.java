package com.fanzfinance.server.payments.events;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how {@link NatsPublisher} publishes: the server URL, the JetStream stream (created on first
 * connection when missing, on subjects {@code {subjectPrefix}.>}) and its duplicate window, the batch size,
 * how long to wait for JetStream's acknowledgements, and the longest pause between retries during an outage.
 * The stream name and prefix are settings so that tests (or two deployments on one NATS) keep apart.
 */
public record NatsSettings(String url, String streamName, String subjectPrefix, Duration duplicateWindow,
                           int batchSize, Duration ackTimeout, Duration maxBackoff) {
    public static final String DEFAULT_STREAM = "FANZ_EVENTS";
    public static final String DEFAULT_PREFIX = "fanz";
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    public NatsSettings {
        Objects.requireNonNull(url, "url");
        if (!STREAM.matcher(streamName).matches()) {
            throw new IllegalArgumentException("not a stream name: " + streamName);
        }
        if (!PREFIX.matcher(subjectPrefix).matches()) {
            throw new IllegalArgumentException("not a subject prefix: " + subjectPrefix);
        }
        if (batchSize < 1 || duplicateWindow.isNegative() || duplicateWindow.isZero() || ackTimeout.isNegative()
            || ackTimeout.isZero() || maxBackoff.isNegative() || maxBackoff.isZero()) {
            throw new IllegalArgumentException("batch size, duplicate window, ack timeout and back-off must be positive");
        }
    }

    /** The contract's stream and subjects ({@code FANZ_EVENTS}, {@code fanz.{tenant}.{type}}) on {@code url}. */
    public static NatsSettings defaults(String url) {
        return new NatsSettings(url, DEFAULT_STREAM, DEFAULT_PREFIX, Duration.ofMinutes(10), 256, Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    }

    public NatsSettings withStream(String stream, String prefix) {
        return new NatsSettings(url, stream, prefix, duplicateWindow, batchSize, ackTimeout, maxBackoff);
    }

    public NatsSettings withUrl(String otherUrl) {
        return new NatsSettings(otherUrl, streamName, subjectPrefix, duplicateWindow, batchSize, ackTimeout, maxBackoff);
    }

    public NatsSettings withMaxBackoff(Duration backoff) {
        return new NatsSettings(url, streamName, subjectPrefix, duplicateWindow, batchSize, ackTimeout, backoff);
    }

    /** The subject of one event: {@code {prefix}.{tenant}.{type}}. */
    public String subject(OutboxEvent event) {
        return subjectPrefix + "." + event.tenant() + "." + event.type();
    }
}
