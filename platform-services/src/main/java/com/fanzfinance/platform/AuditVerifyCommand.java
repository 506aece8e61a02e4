package com.fanzfinance.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;

import com.fanzfinance.embedded.EmbeddedDatabase;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.ServiceDatabase.DatabaseLogin;
import com.fanzfinance.platform.compliance.AuditLog;
import com.fanzfinance.platform.compliance.AuditVerification;

import picocli.CommandLine.Command;

/**
 * {@code fanz-platform audit-verify}: recomputes every hash and link of the compliance audit log, straight
 * from the database, and prints the result as JSON; exit status 0 when the chain is whole, 1 when it is not.
 * It only reads: one plain read-only connection with its search path on {@code <prefix>compliance}, no
 * migration, so a wrong URL or schema prefix is an error (exit 1, saying which schema or table is missing),
 * never an empty schema made on the spot and reported whole. With the embedded database it needs the platform
 * stopped (a running platform answers the same check at {@code GET /v1/audit/verify}).
 */
@Command(name = "audit-verify", mixinStandardHelpOptions = true,
    description = {"Checks the compliance audit log's hash chain in the database (read-only).",
        "Uses FANZ_PLATFORM_DB_URL (and FANZ_PLATFORM_SCHEMA_PREFIX), else the embedded database under"
            + " FANZ_PLATFORM_DATA, which must not be in use. Prints {\"ok\",\"entries\",\"first_bad_seq\",\"reason\"}."})
public final class AuditVerifyCommand implements Callable<Integer> {
    /** What a check prints on standard output and standard error, and its exit status. */
    public record Outcome(int exitCode, String out, String err) {
    }

    @Override
    public Integer call() throws Exception {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        EmbeddedDatabase embedded = null;
        if (settings.find("FANZ_PLATFORM_DB_URL").isEmpty()) {
            if (EmbeddedDatabase.isRunning(settings.dataDirectory())) {
                System.err.println("fanz-platform: the platform is running on the embedded database in "
                    + settings.dataDirectory() + "; stop it first, or ask the running compliance service:"
                    + " GET /v1/audit/verify");
                return PlatformCommand.FAILED;
            }
            embedded = EmbeddedDatabase.start(settings.dataDirectory());
            settings = settings.withDatabase(embedded);
        }
        try {
            Outcome outcome = verify(settings.database());
            if (!outcome.out().isEmpty()) {
                System.out.println(outcome.out());
            }
            if (!outcome.err().isEmpty()) {
                System.err.println(outcome.err());
            }
            return outcome.exitCode();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * Checks the chain in {@code <login.schemaPrefix()>compliance} on a read-only connection, changing nothing:
     * exit 0 and the JSON result when the chain is whole, 1 and the JSON result when it is not, 1 and a message
     * when the schema or its {@code audit_log} does not exist or the database cannot be read.
     */
    public static Outcome verify(DatabaseLogin login) {
        String schema = login.schemaPrefix() + PlatformSettings.COMPLIANCE;
        try (Connection connection = DriverManager.getConnection(login.url(), login.user(), login.password())) {
            connection.setReadOnly(true);
            if (!exists(connection, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema)) {
                return failed("the schema '" + schema + "' does not exist in " + login.url()
                    + " (check FANZ_PLATFORM_DB_URL and FANZ_PLATFORM_SCHEMA_PREFIX); nothing was checked");
            }
            if (!exists(connection, "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = 'audit_log'", schema)) {
                return failed("the schema '" + schema + "' has no table audit_log: it is not the compliance"
                    + " service's; nothing was checked");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET search_path TO \"" + schema.replace("\"", "\"\"") + "\"");
            }
            AuditVerification result = AuditLog.verify(connection);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", result.ok());
            answer.put("entries", result.entries());
            answer.put("first_bad_seq", result.firstBadSeq());
            answer.put("reason", result.reason());
            return new Outcome(result.ok() ? 0 : PlatformCommand.FAILED, Json.MAPPER.writeValueAsString(answer), "");
        } catch (SQLException e) {
            return failed("the audit log cannot be read: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean exists(Connection connection, String sql, String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Outcome failed(String message) {
        return new Outcome(PlatformCommand.FAILED, "", "fanz-platform: audit-verify: " + message);
    }
}
