package com.fanzfinance.platform.identity;

import static com.fanzfinance.platform.identity.schema.Tables.SIGNING_KEYS;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.platform.identity.schema.tables.records.SigningKeysRecord;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The RSA 2048 keys that sign access tokens, kept in the identity schema with their private parts sealed by
 * the {@link SecretsKey}. One key is active and signs; rotating (on demand, or when the active key is older
 * than the rotation age) makes a new active key and retires the old one, which stays in the JWKS for
 * {@link #RETIRED_KEPT} (twice the longest token lifetime) so every token it signed can still be verified,
 * and is then deleted. Several instances share the keys through the database; each reloads them at least
 * every {@link #RELOAD_EVERY}. Private keys are never logged, answered or written unsealed.
 */
final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    /** How long a retired key stays verifiable: twice the longest token lifetime. */
    static final Duration RETIRED_KEPT = Duration.ofSeconds(2 * Tokens.MAX_TTL_SECONDS);
    private static final Duration RELOAD_EVERY = Duration.ofMinutes(1);
    private static final Duration UNKNOWN_KID_RELOAD = Duration.ofSeconds(5);
    private static final long ROTATION_LOCK = 0x46414e5a4b455953L; // "FANZKEYS"

    private final DSLContext dsl;
    private final SecretsKey secrets;
    private final Clock clock;
    private final Duration rotateAfter;
    private volatile Loaded loaded;

    /** The keys as last read: the active one (with its private part) and the public keys to publish. */
    private record Loaded(RSAKey active, JWKSet published, Instant readAt) {
    }

    SigningKeys(DSLContext dsl, SecretsKey secrets, Clock clock, Duration rotateAfter) {
        this.dsl = dsl;
        this.secrets = secrets;
        this.clock = clock;
        this.rotateAfter = rotateAfter;
    }

    /**
     * Makes sure there is an active key not older than the rotation age (rotating otherwise), drops keys
     * retired longer than {@link #RETIRED_KEPT} ago, and reloads. Run at start and hourly.
     */
    synchronized void maintain() {
        dsl.transaction(tx -> {
            DSLContext db = tx.dsl();
            db.execute("SELECT pg_advisory_xact_lock(?)", ROTATION_LOCK);
            SigningKeysRecord active = db.selectFrom(SIGNING_KEYS).where(SIGNING_KEYS.RETIRED.isNull()).fetchOne();
            Instant now = clock.instant();
            if (active == null || !active.getCreated().toInstant().plus(rotateAfter).isAfter(now)) {
                replaceActive(db, now);
            } else if (!opens(active)) {
                LOG.error("the active signing key {} does not open with this secrets key (was {} changed?);"
                    + " making a new one", active.getKid(), SecretsKey.SETTING);
                replaceActive(db, now);
            }
            int dropped = db.deleteFrom(SIGNING_KEYS)
                .where(SIGNING_KEYS.RETIRED.lt(now.minus(RETIRED_KEPT).atOffset(ZoneOffset.UTC))).execute();
            if (dropped > 0) {
                LOG.info("dropped {} signing keys retired more than {} ago", dropped, RETIRED_KEPT);
            }
        });
        reload();
    }

    /** Makes a new active key now, retiring the current one; the new key's id. */
    synchronized String rotate() {
        String kid = dsl.transactionResult(tx -> {
            DSLContext db = tx.dsl();
            db.execute("SELECT pg_advisory_xact_lock(?)", ROTATION_LOCK);
            return replaceActive(db, clock.instant());
        });
        reload();
        return kid;
    }

    /** The active key (with its private part) to sign with. */
    RSAKey active() {
        Loaded current = loaded;
        if (current == null || !current.readAt().plus(RELOAD_EVERY).isAfter(clock.instant())) {
            current = reload();
        }
        return current.active();
    }

    /** The public keys of the active key and the recently retired ones, as a JWK set. */
    JWKSet published() {
        return reload().published();
    }

    /**
     * The published keys as a {@link JWKSource} for this service's own token checks; a key not known yet (made
     * by another instance) is looked for in the database at most every {@link #UNKNOWN_KID_RELOAD}, so tokens
     * naming made-up key ids cannot make every request a query.
     */
    JWKSource<SecurityContext> source() {
        return (selector, context) -> {
            Loaded current = loaded;
            List<JWK> found = current == null ? List.of() : selector.select(current.published());
            if (found.isEmpty() && (current == null
                || !current.readAt().plus(UNKNOWN_KID_RELOAD).isAfter(clock.instant()))) {
                found = selector.select(reload().published());
            }
            return found;
        };
    }

    /** The JWKS document (public keys only). */
    Map<String, Object> jwksDocument() {
        return published().toJSONObject(true);
    }

    private synchronized Loaded reload() {
        Instant now = clock.instant();
        List<SigningKeysRecord> rows = dsl.selectFrom(SIGNING_KEYS)
            .where(SIGNING_KEYS.RETIRED.isNull().or(SIGNING_KEYS.RETIRED.ge(now.minus(RETIRED_KEPT).atOffset(ZoneOffset.UTC))))
            .orderBy(SIGNING_KEYS.CREATED.desc()).fetch();
        RSAKey active = null;
        List<JWK> published = new ArrayList<>();
        for (SigningKeysRecord row : rows) {
            RSAKey publicKey = parsePublic(row);
            published.add(publicKey);
            if (row.getRetired() == null) {
                active = withPrivate(publicKey, row);
            }
        }
        if (active == null) {
            throw new IllegalStateException("there is no active signing key; maintain() makes one");
        }
        Loaded fresh = new Loaded(active, new JWKSet(published), now);
        loaded = fresh;
        return fresh;
    }

    private String replaceActive(DSLContext db, Instant now) throws JOSEException {
        RSAKey generated = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        String kid = generated.computeThumbprint().toString();
        RSAKey key = new RSAKey.Builder(generated).keyID(kid).build();
        byte[] pkcs8 = key.toRSAPrivateKey().getEncoded();
        byte[] sealed;
        try {
            sealed = secrets.seal(pkcs8, kid);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        db.update(SIGNING_KEYS).set(SIGNING_KEYS.RETIRED, now.atOffset(ZoneOffset.UTC))
            .where(SIGNING_KEYS.RETIRED.isNull()).execute();
        db.insertInto(SIGNING_KEYS)
            .set(SIGNING_KEYS.KID, kid)
            .set(SIGNING_KEYS.PUBLIC_JWK, key.toPublicJWK().toJSONString())
            .set(SIGNING_KEYS.SEALED_PRIVATE_KEY, sealed)
            .set(SIGNING_KEYS.CREATED, now.atOffset(ZoneOffset.UTC))
            .execute();
        LOG.info("new active signing key {}", kid);
        return kid;
    }

    private boolean opens(SigningKeysRecord row) {
        try {
            Arrays.fill(secrets.open(row.getSealedPrivateKey(), row.getKid()), (byte) 0);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static RSAKey parsePublic(SigningKeysRecord row) {
        try {
            return RSAKey.parse(row.getPublicJwk());
        } catch (ParseException e) {
            throw new IllegalStateException("stored public key " + row.getKid() + " is not an RSA JWK", e);
        }
    }

    private RSAKey withPrivate(RSAKey publicKey, SigningKeysRecord row) {
        byte[] pkcs8 = secrets.open(row.getSealedPrivateKey(), row.getKid());
        try {
            RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new RSAKey.Builder(publicKey).privateKey(privateKey).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored private key " + row.getKid() + " cannot be read", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }
}
