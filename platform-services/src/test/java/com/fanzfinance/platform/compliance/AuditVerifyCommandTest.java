package com.fanzfinance.platform.compliance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.AuditVerifyCommand;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.ServiceDatabase.DatabaseLogin;
import com.fanzfinance.platform.testing.PlatformTestDatabase;
import com.fanzfinance.server.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fanz-platform audit-verify}'s check, in-process: it reads the schema it is pointed at and changes nothing. */
class AuditVerifyCommandTest {
    private static DatabaseLogin login(String prefix) {
        return new PlatformSettings(PlatformTestDatabase.settings(prefix)).database();
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection connection = TestDatabase.connect("public"); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1 FROM pg_namespace WHERE nspname = '" + schema + "'")) {
            return rows.next();
        }
    }

    @Test
    void aWrongSchemaPrefixIsAnErrorAndCreatesNoSchema() throws SQLException {
        String prefix = PlatformTestDatabase.freshPrefix();
        AuditVerifyCommand.Outcome outcome = AuditVerifyCommand.verify(login(prefix));
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).contains("the schema '" + prefix + "compliance' does not exist");
        assertThat(schemaExists(prefix + "compliance")).isFalse();
    }

    @Test
    void aSchemaWithoutTheAuditLogIsAnError() throws SQLException {
        String prefix = PlatformTestDatabase.freshPrefix();
        try (Connection connection = TestDatabase.connect("public"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + prefix + "compliance");
        }
        try {
            AuditVerifyCommand.Outcome outcome = AuditVerifyCommand.verify(login(prefix));
            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.err()).contains("has no table audit_log");
        } finally {
            PlatformTestDatabase.drop(prefix);
        }
    }

    @Test
    void theComplianceSchemasChainIsCheckedReadOnly() throws Exception {
        String prefix = PlatformTestDatabase.freshPrefix();
        try (ServiceDatabase database = ServiceDatabase.open(login(prefix), PlatformSettings.COMPLIANCE, 1)) {
            database.dsl().transaction(configuration -> Summaries.refresh(DSL.using(configuration), "girlfanz",
                UUID.randomUUID().toString(), Instant.now(), "test"));
            AuditVerifyCommand.Outcome whole = AuditVerifyCommand.verify(login(prefix));
            assertThat(whole.exitCode()).as(whole.err()).isEqualTo(0);
            JsonNode answer = Json.MAPPER.readTree(whole.out());
            assertThat(answer.path("ok").asBoolean()).isTrue();
            assertThat(answer.path("entries").asLong()).isEqualTo(1);

            database.dsl().execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
            database.dsl().execute("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1");
            AuditVerifyCommand.Outcome broken = AuditVerifyCommand.verify(login(prefix));
            assertThat(broken.exitCode()).isEqualTo(1);
            assertThat(Json.MAPPER.readTree(broken.out()).path("first_bad_seq").asLong()).isEqualTo(1);
        } finally {
            PlatformTestDatabase.drop(prefix);
        }
    }
}
