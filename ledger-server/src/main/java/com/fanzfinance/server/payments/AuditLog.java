package com.fanzfinance.server.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.payments.schema.tables.records.AuditLogHeadRecord;
import com.fanzfinance.server.payments.schema.tables.records.AuditLogRecord;

import static com.fanzfinance.server.payments.schema.Tables.AUDIT_LOG;
import static com.fanzfinance.server.payments.schema.Tables.AUDIT_LOG_HEAD;

/**
 * The audit log of actions: who did what to which object of which tenant, with what outcome and why (the note the
 * person typed). Rows are appended and never changed; each carries the SHA-256 of the previous row's hash and its own
 * canonical text, so that a row edited, inserted or deleted in SQL breaks the chain, which {@link #verify} walks.
 *
 * <p>Appends are serialised by a lock on the chain's head row, which also hands out the ids: consecutive from 1, so
 * the chain is linear whatever runs at once, and rows cut off its end show as a head that no row matches.
 */
public final class AuditLog {
    /** The previous hash of the first row. */
    public static final String GENESIS = "0".repeat(64);
    private static final int HEAD = 1;
    private static final int VERIFY_FETCH_SIZE = 1000;
    /** Microseconds, always six digits: what PostgreSQL keeps of a time, written one way only. */
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(ZoneOffset.UTC);
    /** Plain Jackson: the canonical text must not depend on the API's mapper settings. */
    private static final ObjectMapper CANONICAL = new ObjectMapper();

    /** What happened, as the HTTP side saw it once the answer was decided. */
    public record Action(String actor, String actorName, String actorKind, String tenant, String method, String path,
                         String target, int status, String problem, String requestId, String note) {
    }

    /** A stored row. */
    public record Entry(long id, Instant at, Action action, String hash, String previousHash) {
    }

    /** Which rows a listing shows: {@code visibleTenants} null for every row (admin), else rows of those tenants. */
    public record Filter(Set<String> visibleTenants, String tenant, String actor, Instant from, Instant to) {
    }

    /** The outcome of walking the chain: rows walked, and the first row that does not check out (null: none). */
    public record Verification(long entries, Long firstBroken, String lastHash) {
        public boolean valid() {
            return firstBroken == null;
        }
    }

    private final DSLContext dsl;

    public AuditLog(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Appends {@code action} at the end of the chain (its own transaction) and returns the row written. */
    public Entry append(Action action) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            // A stuck lock on the head must not hold every action's answer: give up after a few seconds (the write is
            // then logged and counted as failed, and the answer stands).
            tx.execute("SET LOCAL lock_timeout = '5s'");
            AuditLogHeadRecord head = tx.selectFrom(AUDIT_LOG_HEAD).where(AUDIT_LOG_HEAD.ID.eq(HEAD)).forUpdate().fetchOne();
            if (head == null) {
                throw new IllegalStateException("the audit log has no head row");
            }
            // Taken under the lock, so times follow ids.
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            long id = head.getLastId() + 1;
            String hash = hash(head.getLastHash(), id, at, action);
            tx.insertInto(AUDIT_LOG).set(AUDIT_LOG.ID, id).set(AUDIT_LOG.AT, at.atOffset(ZoneOffset.UTC))
                .set(AUDIT_LOG.ACTOR, action.actor()).set(AUDIT_LOG.ACTOR_NAME, action.actorName())
                .set(AUDIT_LOG.ACTOR_KIND, action.actorKind()).set(AUDIT_LOG.TENANT, action.tenant())
                .set(AUDIT_LOG.METHOD, action.method()).set(AUDIT_LOG.PATH, action.path())
                .set(AUDIT_LOG.TARGET, action.target()).set(AUDIT_LOG.STATUS, action.status())
                .set(AUDIT_LOG.PROBLEM, action.problem()).set(AUDIT_LOG.REQUEST_ID, action.requestId())
                .set(AUDIT_LOG.NOTE, action.note()).set(AUDIT_LOG.HASH, hash)
                .set(AUDIT_LOG.PREVIOUS_HASH, head.getLastHash()).execute();
            tx.update(AUDIT_LOG_HEAD).set(AUDIT_LOG_HEAD.LAST_ID, id).set(AUDIT_LOG_HEAD.LAST_HASH, hash)
                .where(AUDIT_LOG_HEAD.ID.eq(HEAD)).execute();
            return new Entry(id, at, action, hash, head.getLastHash());
        });
    }

    /**
     * A page of rows, newest first ({@code oldestFirst}: oldest first), after the row {@code afterId} in that order
     * (0: from the start); at most {@code limit}.
     */
    public List<Entry> list(Filter filter, long afterId, boolean oldestFirst, int limit) {
        Condition where = DSL.noCondition();
        if (filter.visibleTenants() != null) {
            where = where.and(AUDIT_LOG.TENANT.in(filter.visibleTenants()));
        }
        if (filter.tenant() != null) {
            where = where.and(AUDIT_LOG.TENANT.eq(filter.tenant()));
        }
        if (filter.actor() != null) {
            where = where.and(AUDIT_LOG.ACTOR.eq(filter.actor()));
        }
        if (filter.from() != null) {
            where = where.and(AUDIT_LOG.AT.ge(filter.from().atOffset(ZoneOffset.UTC)));
        }
        if (filter.to() != null) {
            where = where.and(AUDIT_LOG.AT.lt(filter.to().atOffset(ZoneOffset.UTC)));
        }
        if (afterId > 0) {
            where = where.and(oldestFirst ? AUDIT_LOG.ID.gt(afterId) : AUDIT_LOG.ID.lt(afterId));
        }
        return dsl.selectFrom(AUDIT_LOG).where(where).orderBy(oldestFirst ? AUDIT_LOG.ID.asc() : AUDIT_LOG.ID.desc())
            .limit(limit).fetch(AuditLog::entry);
    }

    /**
     * Walks the whole chain in id order on one snapshot: each row must have the next id, its predecessor's hash as
     * {@code previous_hash}, and the hash of that and its own canonical text; the head must name the last row.
     */
    public Verification verify() {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            AuditLogHeadRecord head = tx.selectFrom(AUDIT_LOG_HEAD).where(AUDIT_LOG_HEAD.ID.eq(HEAD)).fetchOne();
            long entries = 0;
            long lastId = 0;
            String lastHash = GENESIS;
            Long firstBroken = null;
            try (Cursor<AuditLogRecord> rows = tx.selectFrom(AUDIT_LOG).orderBy(AUDIT_LOG.ID.asc())
                .fetchSize(VERIFY_FETCH_SIZE).fetchLazy()) {
                for (AuditLogRecord row : rows) {
                    entries++;
                    Entry entry = entry(row);
                    boolean linked = entry.id() == lastId + 1 && entry.previousHash().equals(lastHash)
                        && entry.hash().equals(hash(entry.previousHash(), entry.id(), entry.at(), entry.action()));
                    if (!linked && firstBroken == null) {
                        firstBroken = entry.id();
                    }
                    lastId = entry.id();
                    lastHash = entry.hash();
                }
            }
            boolean headMatches = head != null && head.getLastId() == lastId && head.getLastHash().equals(lastHash);
            if (!headMatches && firstBroken == null) {
                // Rows missing from the end: the first id the head says exists and no row holds.
                firstBroken = lastId + 1;
            }
            return new Verification(entries, firstBroken, lastHash);
        });
    }

    /** A row as the API shows it. */
    public static ObjectNode toJson(Entry entry) {
        Action action = entry.action();
        ObjectNode json = Fields.parseless();
        json.put("id", Long.toString(entry.id()));
        json.put("at", AT.format(entry.at()));
        json.put("actor", action.actor());
        json.put("actor_name", action.actorName());
        json.put("actor_kind", action.actorKind());
        json.put("tenant", action.tenant());
        json.put("method", action.method());
        json.put("path", action.path());
        json.put("target", action.target());
        json.put("status", action.status());
        json.put("problem", action.problem());
        json.put("request_id", action.requestId());
        json.put("note", action.note());
        json.put("hash", entry.hash());
        json.put("previous_hash", entry.previousHash());
        return json;
    }

    /**
     * The row's canonical text: the compact JSON array {@code [id, at, actor, actor_name, actor_kind, tenant, method,
     * path, target, status, problem, request_id, note]}, id and status as JSON numbers, {@code at} as
     * {@code YYYY-MM-DDTHH:MM:SS.ffffffZ}, an absent value as {@code null}.
     */
    static String canonical(long id, Instant at, Action action) {
        ArrayNode fields = CANONICAL.createArrayNode();
        fields.add(id).add(AT.format(at)).add(action.actor()).add(action.actorName()).add(action.actorKind())
            .add(action.tenant()).add(action.method()).add(action.path()).add(action.target()).add(action.status())
            .add(action.problem()).add(action.requestId()).add(action.note());
        try {
            return CANONICAL.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an array of strings and numbers is always JSON", e);
        }
    }

    /** Hex SHA-256 of {@code previous_hash + "\n" + canonical text}, in UTF-8. */
    static String hash(String previousHash, long id, Instant at, Action action) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] text = (previousHash + "\n" + canonical(id, at, action)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(sha256.digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Entry entry(AuditLogRecord row) {
        Action action = new Action(row.getActor(), row.getActorName(), row.getActorKind(), row.getTenant(),
            row.getMethod(), row.getPath(), row.getTarget(), row.getStatus(), row.getProblem(), row.getRequestId(),
            row.getNote());
        return new Entry(row.getId(), row.getAt().toInstant(), action, row.getHash(), row.getPreviousHash());
    }
}
