package com.fanzfinance.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fanzfinance.embedded.EmbeddedDatabase;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.compliance.AuditLog;
import com.fanzfinance.platform.compliance.AuditVerification;

import picocli.CommandLine.Command;

/**
 * {@code fanz-platform audit-verify}: recomputes every hash and link of the compliance audit log, straight
 * from the database, and prints the result as JSON; exit status 0 when the chain is whole, 1 when it is not.
 * With the embedded database it needs the platform stopped (a running platform answers the same check at
 * {@code GET /v1/audit/verify}).
 */
@Command(name = "audit-verify", mixinStandardHelpOptions = true,
    description = {"Checks the compliance audit log's hash chain in the database.",
        "Uses FANZ_PLATFORM_DB_URL (and FANZ_PLATFORM_SCHEMA_PREFIX), else the embedded database under"
            + " FANZ_PLATFORM_DATA, which must not be in use. Prints {\"ok\",\"entries\",\"first_bad_seq\",\"reason\"}."})
final class AuditVerifyCommand implements Callable<Integer> {
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
            settings = settings.with(Map.of("FANZ_PLATFORM_DB_URL", embedded.jdbcUrl(),
                "FANZ_PLATFORM_DB_USER", EmbeddedDatabase.USER, "FANZ_PLATFORM_DB_PASSWORD", embedded.password()));
        }
        try (ServiceDatabase database = ServiceDatabase.open(settings.database(), PlatformSettings.COMPLIANCE, 1)) {
            AuditVerification result = AuditLog.verify(database.dataSource());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", result.ok());
            answer.put("entries", result.entries());
            answer.put("first_bad_seq", result.firstBadSeq());
            answer.put("reason", result.reason());
            System.out.println(Json.MAPPER.writeValueAsString(answer));
            return result.ok() ? 0 : PlatformCommand.FAILED;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
