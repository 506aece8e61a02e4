package com.fanzfinance.platform.common;

import java.util.UUID;

/**
 * The one reading of a UUID in the platform services: exactly 36 characters that {@link UUID#fromString} takes
 * (it alone would also take shortened forms such as {@code 1-1-1-1-1}). Each caller decides what a value that is
 * not one means — 400, 404, or an event or subject that is not ours.
 */
public final class Uuids {
    private Uuids() {
    }

    /** {@code text} as a UUID; null when it is null or not one. */
    public static UUID parseOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
