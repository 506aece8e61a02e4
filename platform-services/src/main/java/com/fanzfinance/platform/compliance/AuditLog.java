package com.fanzfinance.platform.compliance;

import static com.fanzfinance.platform.compliance.schema.Tables.AUDIT_LOG;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record2;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.common.Hashes;
import com.fanzfinance.platform.common.Json;

/**
 * The append-only, hash-chained audit log of every compliance change. Each entry has a gap-free {@code seq}
 * (1, 2, 3, …), the time {@code at} (microseconds, UTC), {@code tenant}, {@code actor} (the token's
 * {@code sub}), {@code action}, {@code subject}, {@code data} (a JSON object), {@code prev_hash} (the previous
 * entry's hash; 64 zeros for seq 1) and {@code hash}: SHA-256, lower-case hex, over the UTF-8 bytes of the
 * {@link CanonicalJson canonical JSON} array
 * <pre>[seq, "at", "tenant", "actor", "action", "subject", data, "prev_hash"]</pre>
 * where {@code seq} is a JSON integer and {@code at} is written {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}.
 *
 * <p>An entry is appended in the same transaction as the change it records; the table is locked against other
 * appenders ({@code SHARE ROW EXCLUSIVE}: readers go on) until that transaction ends, so the chain is linear
 * and a rolled-back change leaves no entry and no gap. The database refuses UPDATE, DELETE and TRUNCATE on it
 * (a trigger), and {@link #verify} recomputes the whole chain.
 */
public final class AuditLog {
    /** The {@code prev_hash} of the first entry. */
    public static final String GENESIS = "0".repeat(64);
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(ZoneOffset.UTC);

    private AuditLog() {
    }

    /**
     * Takes the append lock for the rest of {@code tx}. Every writing transaction of the service takes it first,
     * so writes are serialized and the summaries they recompute never race.
     */
    static void lock(DSLContext tx) {
        tx.execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE");
    }

    /** Appends an entry in {@code tx} (taking the lock if it is not held yet). */
    static void append(DSLContext tx, Instant at, String tenant, String actor, String action, String subject,
            JsonNode data) {
        lock(tx);
        Record2<Long, String> last = tx.select(AUDIT_LOG.SEQ, AUDIT_LOG.HASH).from(AUDIT_LOG)
            .orderBy(AUDIT_LOG.SEQ.desc()).limit(1).fetchOne();
        long seq = last == null ? 1 : last.value1() + 1;
        String prevHash = last == null ? GENESIS : last.value2();
        Instant micros = at.truncatedTo(ChronoUnit.MICROS);
        String hash = hash(seq, micros, tenant, actor, action, subject, data, prevHash);
        tx.insertInto(AUDIT_LOG)
            .set(AUDIT_LOG.SEQ, seq)
            .set(AUDIT_LOG.AT, micros.atOffset(ZoneOffset.UTC))
            .set(AUDIT_LOG.TENANT, tenant)
            .set(AUDIT_LOG.ACTOR, actor)
            .set(AUDIT_LOG.ACTION, action)
            .set(AUDIT_LOG.SUBJECT, subject)
            .set(AUDIT_LOG.DATA, JSON.json(CanonicalJson.write(data)))
            .set(AUDIT_LOG.PREV_HASH, prevHash)
            .set(AUDIT_LOG.HASH, hash)
            .execute();
    }

    /** The hash of an entry, as documented on this class. */
    static String hash(long seq, Instant at, String tenant, String actor, String action, String subject,
            JsonNode data, String prevHash) {
        StringBuilder text = new StringBuilder("[").append(seq).append(',');
        CanonicalJson.string(AT.format(at), text);
        for (String value : new String[] {tenant, actor, action, subject}) {
            text.append(',');
            CanonicalJson.string(value, text);
        }
        text.append(',').append(CanonicalJson.write(data)).append(',');
        CanonicalJson.string(prevHash, text);
        text.append(']');
        return Hashes.sha256Hex(text.toString());
    }

    /** The time of an entry as the hash covers it. */
    static String formatAt(Instant at) {
        return AT.format(at);
    }

    /**
     * Recomputes every entry's hash and link, in seq order, from the table {@code audit_log} on the connection's
     * search path (the compliance schema, as {@code ServiceDatabase}'s pool sets it). For
     * {@code GET /v1/audit/verify}.
     */
    public static AuditVerification verify(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return verify(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the audit log cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The same check on {@code connection} (its search path on the compliance schema), in one transaction that
     * is rolled back: for the CLI's {@code audit-verify}, which opens a read-only connection of its own.
     */
    public static AuditVerification verify(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT seq, at, tenant, actor, action, subject, data::text, prev_hash, hash FROM audit_log ORDER BY seq")) {
            statement.setFetchSize(1000);
            try (ResultSet rows = statement.executeQuery()) {
                return verify(rows);
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    private static AuditVerification verify(ResultSet rows) throws SQLException {
        long entries = 0;
        long expectedSeq = 1;
        String previousHash = GENESIS;
        Long firstBad = null;
        String reason = null;
        while (rows.next()) {
            entries++;
            if (firstBad != null) {
                continue;
            }
            long seq = rows.getLong(1);
            Instant at = rows.getObject(2, OffsetDateTime.class).toInstant();
            String prevHash = rows.getString(8);
            String hash = rows.getString(9);
            if (seq != expectedSeq) {
                firstBad = seq;
                reason = "expected seq " + expectedSeq + " here: entries are missing or out of order";
                continue;
            }
            if (!previousHash.equals(prevHash)) {
                firstBad = seq;
                reason = "prev_hash does not match the hash of " + (seq == 1 ? "the genesis (64 zeros)" : "entry " + (seq - 1));
                continue;
            }
            JsonNode data;
            try {
                data = Json.MAPPER.readTree(rows.getString(7));
            } catch (IOException e) {
                firstBad = seq;
                reason = "data is not JSON";
                continue;
            }
            String recomputed = hash(seq, at, rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), data, prevHash);
            if (!recomputed.equals(hash)) {
                firstBad = seq;
                reason = "hash does not match the entry's contents";
                continue;
            }
            previousHash = hash;
            expectedSeq++;
        }
        return new AuditVerification(firstBad == null, entries, firstBad, reason);
    }
}
