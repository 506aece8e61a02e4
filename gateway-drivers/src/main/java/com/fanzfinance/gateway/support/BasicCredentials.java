package com.fanzfinance.gateway.support;

import com.fanzfinance.gateway.Notification;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The user name and password of a notification's {@code Authorization: Basic} header (RFC 7617). */
public record BasicCredentials(String username, String password) {

    /** The credentials, if the header is Basic, valid Base64 of valid UTF-8, and holds a colon. */
    public static Optional<BasicCredentials> of(Notification notification) {
        Optional<String> header = notification.header("Authorization").map(String::trim);
        if (header.isEmpty() || header.get().length() < 6 || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(header.get().substring(6).trim());
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
            int colon = text.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new BasicCredentials(text.substring(0, colon), text.substring(colon + 1)));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "BasicCredentials[" + username + ", (redacted)]";
    }
}
