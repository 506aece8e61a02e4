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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jooq.DSLContext;
import org.jooq.Record3;
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
 * the {@link SecretsKey}. Rotating (on demand, or when the signing key is older than the rotation age) makes
 * a new key that is published at once but signs only {@code activateAfter} later, so the other services (which
 * refetch the JWKS at most every 30 s for a key id they do not know) have it before any token names it; the old
 * key signs until then, is retired then, and stays in the JWKS for {@link #RETIRED_KEPT} (twice the longest
 * token lifetime) so every token it signed can still be verified, and is then deleted. Several instances share
 * the keys through the database: each rereads the public keys at most every {@link #PUBLISHED_FRESH} for the
 * JWKS and at least every {@link #RELOAD_EVERY} for signing, and opens a sealed private key only when the key
 * that signs changes. Private keys are never logged, answered or written unsealed.
 */
final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    /** How long a retired key stays verifiable: twice the longest token lifetime. */
    static final Duration RETIRED_KEPT = Duration.ofSeconds(2 * Tokens.MAX_TTL_SECONDS);
    /** How old the published keys may be when the JWKS is answered. */
    static final Duration PUBLISHED_FRESH = Duration.ofSeconds(5);
    private static final Duration RELOAD_EVERY = Duration.ofMinutes(1);
    private static final Duration UNKNOWN_KID_RELOAD = Duration.ofSeconds(5);
    private static final long ROTATION_LOCK = 0x46414e5a4b455953L; // "FANZKEYS"

    private final DSLContext dsl;
    private final SecretsKey secrets;
    private final Clock clock;
    private final Duration rotateAfter;
    private final Duration activateAfter;
    private final Object reloading = new Object();
    /** How often the keys were read from the database (tests bound it). */
    final AtomicLong reloads = new AtomicLong();
    private volatile Loaded loaded;
    private volatile RSAKey signer;

    /** A new key's id and when it starts signing. */
    record Rotated(String kid, Instant activates) {
    }

    /** A stored key as read for publishing: its public part and when it signs (from, until). */
    private record Stored(RSAKey publicKey, Instant activates, Instant retired) {
        boolean signsAt(Instant at) {
            return !activates.isAfter(at) && (retired == null || retired.isAfter(at));
        }
    }

    /** The keys as last read (public parts only, newest first) and their JWK set. */
    private record Loaded(List<Stored> keys, JWKSet published, Instant readAt) {
        /**
         * The id of the key that signs at {@code at}: of the keys active then, the one that became active last;
         * for a clock before every activation, the earliest key not retired then.
         */
        String signingKid(Instant at) {
            return keys.stream().filter(key -> key.signsAt(at)).max(Comparator.comparing(Stored::activates))
                .or(() -> keys.stream().filter(key -> key.retired() == null || key.retired().isAfter(at))
                    .min(Comparator.comparing(Stored::activates)))
                .map(key -> key.publicKey().getKeyID())
                .orElseThrow(() -> new IllegalStateException("there is no signing key; maintain() makes one"));
        }
    }

    SigningKeys(DSLContext dsl, SecretsKey secrets, Clock clock, Duration rotateAfter, Duration activateAfter) {
        this.dsl = dsl;
        this.secrets = secrets;
        this.clock = clock;
        this.rotateAfter = rotateAfter;
        this.activateAfter = activateAfter;
    }

    /**
     * Makes sure there is a key not older than the rotation age (rotating otherwise) that opens with this
     * secrets key (else a new one signs at once), drops keys retired longer than {@link #RETIRED_KEPT} ago,
     * and reloads. Run at start and hourly.
     */
    synchronized void maintain() {
        dsl.transaction(tx -> {
            DSLContext db = tx.dsl();
            db.execute("SELECT pg_advisory_xact_lock(?)", ROTATION_LOCK);
            SigningKeysRecord newest = db.selectFrom(SIGNING_KEYS).where(SIGNING_KEYS.RETIRED.isNull()).fetchOne();
            Instant now = clock.instant();
            if (newest == null) {
                replaceNewest(db, now, Duration.ZERO);
            } else if (!opens(newest)) {
                LOG.error("the signing key {} does not open with this secrets key (was {} changed?);"
                    + " making a new one", newest.getKid(), SecretsKey.SETTING);
                replaceNewest(db, now, Duration.ZERO);
            } else if (!newest.getActivates().toInstant().plus(rotateAfter).isAfter(now)) {
                replaceNewest(db, now, activateAfter);
            }
            int dropped = db.deleteFrom(SIGNING_KEYS)
                .where(SIGNING_KEYS.RETIRED.lt(now.minus(RETIRED_KEPT).atOffset(ZoneOffset.UTC))).execute();
            if (dropped > 0) {
                LOG.info("dropped {} signing keys retired more than {} ago", dropped, RETIRED_KEPT);
            }
        });
        reload();
    }

    /** Makes and publishes a new key now that signs from {@code activateAfter} on; its id and that time. */
    synchronized Rotated rotate() {
        Rotated rotated = dsl.transactionResult(tx -> {
            DSLContext db = tx.dsl();
            db.execute("SELECT pg_advisory_xact_lock(?)", ROTATION_LOCK);
            return replaceNewest(db, clock.instant(), activateAfter);
        });
        reload();
        return rotated;
    }

    /** The key (with its private part) that signs now. */
    RSAKey active() {
        Instant now = clock.instant();
        String kid = fresh(RELOAD_EVERY, now).signingKid(now);
        RSAKey current = signer;
        return current != null && current.getKeyID().equals(kid) ? current : open(kid);
    }

    /** The public keys of the signing key, the next one and the recently retired ones, as a JWK set. */
    JWKSet published() {
        return fresh(PUBLISHED_FRESH, clock.instant()).published();
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

    /** The keys as read at most {@code maxAge} before {@code now}: one reader rereads, the others wait for it. */
    private Loaded fresh(Duration maxAge, Instant now) {
        Loaded current = loaded;
        if (current != null && current.readAt().plus(maxAge).isAfter(now)) {
            return current;
        }
        synchronized (reloading) {
            current = loaded;
            if (current != null && current.readAt().plus(maxAge).isAfter(now)) {
                return current;
            }
            return reload();
        }
    }

    /** Rereads the public keys and their times (never the sealed private parts). */
    private Loaded reload() {
        synchronized (reloading) {
            Instant now = clock.instant();
            reloads.incrementAndGet();
            List<Stored> keys = new ArrayList<>();
            for (Record3<String, OffsetDateTime, OffsetDateTime> row : dsl
                .select(SIGNING_KEYS.PUBLIC_JWK, SIGNING_KEYS.ACTIVATES, SIGNING_KEYS.RETIRED).from(SIGNING_KEYS)
                .where(SIGNING_KEYS.RETIRED.isNull()
                    .or(SIGNING_KEYS.RETIRED.ge(now.minus(RETIRED_KEPT).atOffset(ZoneOffset.UTC))))
                .orderBy(SIGNING_KEYS.ACTIVATES.desc()).fetch()) {
                keys.add(new Stored(parsePublic(row.value1()), row.value2().toInstant(),
                    row.value3() == null ? null : row.value3().toInstant()));
            }
            Loaded fresh = new Loaded(List.copyOf(keys),
                new JWKSet(keys.stream().map(key -> (JWK) key.publicKey()).toList()), now);
            loaded = fresh;
            return fresh;
        }
    }

    /** Opens the private part of key {@code kid} and keeps it as the signer. */
    private synchronized RSAKey open(String kid) {
        RSAKey current = signer;
        if (current != null && current.getKeyID().equals(kid)) {
            return current;
        }
        SigningKeysRecord row = dsl.selectFrom(SIGNING_KEYS).where(SIGNING_KEYS.KID.eq(kid)).fetchOptional()
            .orElseThrow(() -> new IllegalStateException("signing key " + kid + " is gone from the database"));
        RSAKey opened = withPrivate(parsePublic(row.getPublicJwk()), row);
        signer = opened;
        return opened;
    }

    private Rotated replaceNewest(DSLContext db, Instant now, Duration delay) throws JOSEException {
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
        Instant activates = now.plus(delay);
        db.update(SIGNING_KEYS).set(SIGNING_KEYS.RETIRED, activates.atOffset(ZoneOffset.UTC))
            .where(SIGNING_KEYS.RETIRED.isNull()).execute();
        db.insertInto(SIGNING_KEYS)
            .set(SIGNING_KEYS.KID, kid)
            .set(SIGNING_KEYS.PUBLIC_JWK, key.toPublicJWK().toJSONString())
            .set(SIGNING_KEYS.SEALED_PRIVATE_KEY, sealed)
            .set(SIGNING_KEYS.CREATED, now.atOffset(ZoneOffset.UTC))
            .set(SIGNING_KEYS.ACTIVATES, activates.atOffset(ZoneOffset.UTC))
            .execute();
        LOG.info("new signing key {}, signing from {}", kid, activates);
        return new Rotated(kid, activates);
    }

    private boolean opens(SigningKeysRecord row) {
        try {
            Arrays.fill(secrets.open(row.getSealedPrivateKey(), row.getKid()), (byte) 0);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static RSAKey parsePublic(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored public key is not an RSA JWK", e);
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
