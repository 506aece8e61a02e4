package com.fanzfinance.platform.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import com.fanzfinance.platform.common.Problem;

/**
 * Passwords: the rules a new one must meet, and Argon2id hashes (BouncyCastle) stored as PHC strings
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded Base64). New hashes use
 * {@link #CURRENT} (OWASP's 19 MiB, 2 passes, 1 lane); a stored hash is checked with the parameters it
 * names, within bounds, so raising the parameters later leaves old hashes valid (and {@link #isCurrent}
 * tells the caller when to re-hash). Comparison is constant-time. Hashing takes tens of MiB, so at most
 * as many hashes run at once as there are processors; a hash that cannot start within {@link #PERMIT_WAIT}
 * is given up (503 {@code hashing-busy}), so a sign-in check never outlasts its {@link Lockout#CHECK_LEASE}.
 */
final class Passwords {
    /** The parameters of new hashes: the one place they are chosen. */
    static final Parameters CURRENT = new Parameters(19_456, 2, 1);
    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 256;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
        "\\$argon2id\\$v=19\\$m=([0-9]{1,7}),t=([0-9]{1,2}),p=([0-9]{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How many hashes may run at once. */
    static final int HASHING_PERMITS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Taken by every hash (tests hold all its permits to keep a check in flight). */
    static final Semaphore HASHING = new Semaphore(HASHING_PERMITS, true);
    /** How long a hash waits for a permit at most. */
    static final Duration PERMIT_WAIT = Duration.ofSeconds(5);
    /** The type of the problem a hash that gets no permit throws (spelt out there too, for the docs check). */
    static final String HASHING_BUSY = "hashing-busy";
    /** A hash of nothing anyone knows: checked against when an email is unknown, so timing does not tell. */
    private static final String DECOY = hash(new String(randomBytes(24), StandardCharsets.ISO_8859_1));

    /** Argon2id memory (KiB), passes and lanes. */
    record Parameters(int memoryKib, int iterations, int parallelism) {
        Parameters {
            if (memoryKib < 8 * parallelism || memoryKib > 1 << 20 || iterations < 1 || iterations > 16
                || parallelism < 1 || parallelism > 16) {
                throw new IllegalArgumentException("Argon2id parameters out of bounds: m=" + memoryKib + ", t="
                    + iterations + ", p=" + parallelism);
            }
        }
    }

    private Passwords() {
    }

    /**
     * 400 {@code invalid-field} at {@code pointer} unless {@code password} is 12–256 characters and not the
     * email (in any case).
     */
    static void checkNew(String password, String email, String pointer) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw Problem.invalidField("the password must be " + MIN_LENGTH + "–" + MAX_LENGTH + " characters", pointer);
        }
        if (password.toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT))) {
            throw Problem.invalidField("the password must not be the email address", pointer);
        }
    }

    /** A new PHC hash of {@code password} with {@link #CURRENT}. */
    static String hash(String password) {
        return hash(password, CURRENT, randomBytes(SALT_BYTES));
    }

    /** A PHC hash with given parameters and salt (tests make hashes of older parameters with it). */
    static String hash(String password, Parameters parameters, byte[] salt) {
        byte[] hash = derive(password, parameters, salt, HASH_BYTES);
        return "$argon2id$v=19$m=" + parameters.memoryKib() + ",t=" + parameters.iterations() + ",p="
            + parameters.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code stored} (false for a malformed hash, never an exception). */
    static boolean verify(String password, String stored) {
        Matcher phc = stored == null ? null : PHC.matcher(stored);
        if (phc == null || !phc.matches()) {
            verify(password, DECOY);
            return false;
        }
        Parameters parameters;
        byte[] salt;
        byte[] expected;
        try {
            parameters = new Parameters(Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)),
                Integer.parseInt(phc.group(3)));
            salt = B64_DECODER.decode(phc.group(4));
            expected = B64_DECODER.decode(phc.group(5));
        } catch (IllegalArgumentException e) {
            verify(password, DECOY);
            return false;
        }
        return MessageDigest.isEqual(derive(password, parameters, salt, expected.length), expected);
    }

    /** Spends the time of a verification and answers false: for unknown accounts. */
    static boolean verifyDecoy(String password) {
        verify(password, DECOY);
        return false;
    }

    /** Whether {@code stored} was made with {@link #CURRENT}. */
    static boolean isCurrent(String stored) {
        Matcher phc = PHC.matcher(stored);
        return phc.matches() && Integer.parseInt(phc.group(1)) == CURRENT.memoryKib()
            && Integer.parseInt(phc.group(2)) == CURRENT.iterations()
            && Integer.parseInt(phc.group(3)) == CURRENT.parallelism();
    }

    private static byte[] derive(String password, Parameters parameters, byte[] salt, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(parameters.memoryKib())
            .withIterations(parameters.iterations())
            .withParallelism(parameters.parallelism())
            .withSalt(salt)
            .build());
        byte[] out = new byte[length];
        acquirePermit();
        try {
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            HASHING.release();
        }
        return out;
    }

    private static void acquirePermit() {
        boolean acquired;
        try {
            acquired = HASHING.tryAcquire(PERMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw Problem.unavailable("hashing-busy", "too many passwords are being checked at once; try again", 1);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
