package com.fanzfinance.platform.compliance;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.compliance.ComplianceHarness.Creator;

import static com.fanzfinance.platform.compliance.schema.Tables.LEDGER_PUSHES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit log's chain and its append-only guard, each test on a service of its own (it tampers with the log). */
class AuditLogTest {
    private ComplianceHarness h;

    @BeforeEach
    void start() {
        h = new ComplianceHarness();
        Creator creator = h.creator();
        h.verify(creator);
        h.taxForm(creator);
        h.record(creator, true);
        awaitPushesSettled();
    }

    /**
     * The ledger pusher audits a push's outcome when it changes the push's status, in the background; there is no
     * ledger here, so each push queued above ends as {@code failing} (later retries keep that status and write
     * nothing). The tests count entries, so they start once no push is still queued or being sent.
     */
    private void awaitPushesSettled() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (h.service.database().dsl().fetchCount(LEDGER_PUSHES, LEDGER_PUSHES.STATUS
            .in(LedgerPusher.PENDING, LedgerPusher.SENDING).or(LEDGER_PUSHES.RESEND.isTrue())) > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the ledger pusher did not settle in 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = h.service.database().dataSource().getConnection();
             Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void theChainVerifiesAndATamperedRowIsFound() throws SQLException {
        AuditVerification clean = AuditLog.verify(h.service.database().dataSource());
        assertThat(clean.ok()).isTrue();
        assertThat(clean.entries()).isGreaterThanOrEqualTo(7);
        assertThat(clean.firstBadSeq()).isNull();

        sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
        sql("UPDATE audit_log SET data = jsonb_set(data, '{decision}', '\"reject\"') WHERE seq = 3");
        sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");

        AuditVerification tampered = AuditLog.verify(h.service.database().dataSource());
        assertThat(tampered.ok()).isFalse();
        assertThat(tampered.firstBadSeq()).isEqualTo(3L);
        assertThat(tampered.reason()).contains("hash");
        JsonNode answer = h.get("/v1/audit/verify", h.tokens.service("ops", "compliance:audit")).json();
        assertThat(answer.path("ok").asBoolean()).isFalse();
        assertThat(answer.path("first_bad_seq").asLong()).isEqualTo(3);
        assertThat(answer.path("entries").asLong()).isEqualTo(clean.entries());
    }

    @Test
    void aReorderedOrRelinkedChainIsFoundToo() throws SQLException {
        long entries = AuditLog.verify(h.service.database().dataSource()).entries();
        sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
        sql("DELETE FROM audit_log WHERE seq = 2");
        sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        AuditVerification gap = AuditLog.verify(h.service.database().dataSource());
        assertThat(gap.ok()).isFalse();
        assertThat(gap.firstBadSeq()).isEqualTo(3L);
        assertThat(gap.entries()).isEqualTo(entries - 1);
    }

    @Test
    void theDatabaseRefusesUpdateDeleteAndTruncate() {
        assertThatThrownBy(() -> sql("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1"))
            .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("DELETE FROM audit_log WHERE seq = 1")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("TRUNCATE audit_log")).hasMessageContaining("append-only");
        assertThat(AuditLog.verify(h.service.database().dataSource()).ok()).isTrue();
    }
}
