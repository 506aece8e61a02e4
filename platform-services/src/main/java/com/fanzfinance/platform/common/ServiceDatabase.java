package com.fanzfinance.platform.common;

import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A service's own PostgreSQL schema: migrated with Flyway at start (scripts in {@code db/<service>}), then a
 * small connection pool whose connections see only that schema, and jOOQ over it. Services never read one
 * another's schemas; they talk over HTTP.
 */
public final class ServiceDatabase implements AutoCloseable {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String schema;
    private final HikariDataSource pool;
    private final DSLContext dsl;

    private ServiceDatabase(String schema, HikariDataSource pool) {
        this.schema = schema;
        this.pool = pool;
        this.dsl = DSL.using(pool, SQLDialect.POSTGRES);
    }

    /** Migrates {@code <login.schemaPrefix()><service>} with {@code classpath:db/<service>} and opens a pool on it. */
    public static ServiceDatabase open(DatabaseLogin login, String service, int poolSize) {
        String schema = login.schemaPrefix() + service;
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema name '" + schema + "' must match " + SCHEMA);
        }
        Flyway.configure().dataSource(login.url(), login.user(), login.password()).schemas(schema)
            .createSchemas(true).locations("classpath:db/" + service).load().migrate();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(login.url());
        config.setUsername(login.user());
        config.setPassword(login.password());
        config.setPoolName("platform-" + service);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setConnectionInitSql("SET search_path TO " + schema);
        return new ServiceDatabase(schema, new HikariDataSource(config));
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DataSource dataSource() {
        return pool;
    }

    public String schema() {
        return schema;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Where the services' PostgreSQL is and the prefix of their schema names ("" in production). */
    public record DatabaseLogin(String url, String user, String password, String schemaPrefix) {
        @Override
        public String toString() {
            return "DatabaseLogin[url=" + url + ", user=" + user + ", schemaPrefix=" + schemaPrefix + "]";
        }
    }
}
