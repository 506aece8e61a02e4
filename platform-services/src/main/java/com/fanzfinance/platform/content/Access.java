package com.fanzfinance.platform.content;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Problem;

/**
 * Who may read and write in the content service, decided here and not by {@link Caller}'s wider notions: a
 * person is staff of an object only with role {@code staff} or {@code admin} on the object's brand (the brand
 * of their token); a platform service reads only with scope {@code content:read} — then every brand's posts,
 * purchases and entitlements, as staff would — and writes nothing here.
 */
final class Access {
    static final String READ_SCOPE = "content:read";

    private Access() {
    }

    /** Whether {@code caller} is a person with role staff or admin on {@code tenant}. */
    static boolean staffOf(Caller caller, String tenant) {
        return !caller.isService() && (caller.has(Caller.STAFF) || caller.has(Caller.ADMIN)) && tenant.equals(caller.tenant());
    }

    /** Whether {@code caller} reads everything of {@code tenant}: its staff, or a service with {@code content:read}. */
    static boolean readsAll(Caller caller, String tenant) {
        return staffOf(caller, tenant) || caller.isService() && caller.scopes().contains(READ_SCOPE);
    }

    /** {@code caller} for a read: 403 for a service without {@code content:read}. */
    static Caller reader(Caller caller) {
        return caller.isService() ? caller.requireScope(READ_SCOPE) : caller;
    }

    /** {@code caller} for a write: 403 for a service. */
    static Caller writer(Caller caller) {
        if (caller.isService()) {
            throw Problem.forbidden("services do not write content");
        }
        return caller;
    }
}
