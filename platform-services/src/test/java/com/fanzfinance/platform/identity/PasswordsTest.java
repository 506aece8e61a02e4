package com.fanzfinance.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import com.fanzfinance.platform.common.Problem;

/** Argon2id hashes in PHC form, their verification with stored parameters, and the rules of new passwords. */
class PasswordsTest {
    @Test
    void hashesArePhcStringsOfArgon2idWithTheCurrentParameters() {
        String hash = Passwords.hash("a password of some length");
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(Passwords.verify("a password of some length", hash)).isTrue();
        assertThat(Passwords.verify("a password of some lengtH", hash)).isFalse();
        assertThat(Passwords.hash("a password of some length")).isNotEqualTo(hash);
        assertThat(Passwords.isCurrent(hash)).isTrue();
    }

    @Test
    void theHashIsArgon2idAsBouncyCastleComputesIt() {
        byte[] salt = "sixteen byte slt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String hash = Passwords.hash("password", new Passwords.Parameters(1024, 1, 1), salt);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(1024).withIterations(1).withParallelism(1).withSalt(salt).build());
        byte[] expected = new byte[32];
        generator.generateBytes("password".getBytes(java.nio.charset.StandardCharsets.UTF_8), expected);
        assertThat(hash).isEqualTo("$argon2id$v=19$m=1024,t=1,p=1$" + Base64.getEncoder().withoutPadding().encodeToString(salt)
            + "$" + Base64.getEncoder().withoutPadding().encodeToString(expected));
    }

    @Test
    void aStoredHashIsCheckedWithItsOwnParameters() {
        String old = Passwords.hash("an older password", new Passwords.Parameters(8192, 3, 2), new byte[16]);
        assertThat(old).startsWith("$argon2id$v=19$m=8192,t=3,p=2$");
        assertThat(Passwords.verify("an older password", old)).isTrue();
        assertThat(Passwords.verify("another password", old)).isFalse();
        assertThat(Passwords.isCurrent(old)).isFalse();
    }

    @Test
    void malformedOrOutlandishHashesNeverVerify() {
        assertThat(Passwords.verify("x", "$2a$10$abcdefghijklmnopqrstuu")).isFalse();
        assertThat(Passwords.verify("x", "$argon2id$v=19$m=9999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"))
            .isFalse();
        assertThat(Passwords.verify("x", null)).isFalse();
        assertThat(Passwords.verifyDecoy("x")).isFalse();
    }

    @Test
    void newPasswordsAre12To256CharactersAndNotTheEmail() {
        Passwords.checkNew("twelve chars", "a@b.example", "/password");
        Passwords.checkNew("p".repeat(256), "a@b.example", "/password");
        assertThatThrownBy(() -> Passwords.checkNew("eleven char", "a@b.example", "/password"))
            .isInstanceOf(Problem.class).hasMessageContaining("12");
        assertThatThrownBy(() -> Passwords.checkNew("p".repeat(257), "a@b.example", "/password"))
            .isInstanceOf(Problem.class);
        assertThatThrownBy(() -> Passwords.checkNew("Someone@Example.com", "someone@example.com", "/password"))
            .isInstanceOf(Problem.class).hasMessageContaining("email");
    }
}
