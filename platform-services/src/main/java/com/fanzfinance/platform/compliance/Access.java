package com.fanzfinance.platform.compliance;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Problem;

/**
 * Who may do what in the compliance service. A creator's compliance data is theirs (their token's {@code sub}
 * is the creator id), their brand's reviewers' (staff and admin of the same tenant) and, read-only, the
 * platform's services' with scope {@code compliance:read}. A service that only needs to know whether content
 * may be published (content) gets {@code compliance:clearance}, which opens {@code GET /v1/clearances} and
 * nothing else: no legal names, dates of birth or 2257 records. Rehashing the whole audit chain takes a person
 * with the role admin or a service with {@code compliance:audit}. A person of another brand is answered as if
 * the object did not exist (404); a person of the brand without the role gets 403.
 */
final class Access {
    static final String READ_SCOPE = "compliance:read";
    static final String CLEARANCE_SCOPE = "compliance:clearance";
    static final String AUDIT_SCOPE = "compliance:audit";

    private Access() {
    }

    /** A reviewer: staff or admin of {@code tenant} (not a service). */
    static boolean isReviewerOf(Caller caller, String tenant) {
        return !caller.isService() && caller.tenant().equals(tenant)
            && (caller.has(Caller.STAFF) || caller.has(Caller.ADMIN));
    }

    /** The creator themself, a reviewer of their brand, or a service with {@code compliance:read}; else 404/403. */
    static void requireReader(Caller caller, String tenant, String creator, String what) {
        if (caller.isService()) {
            caller.requireScope(READ_SCOPE);
            return;
        }
        caller.requireTenant(tenant, what);
        if (!isReviewerOf(caller, tenant) && !caller.subject().equals(creator)) {
            throw Problem.forbidden("only the creator, their brand's staff or a service may read this");
        }
    }

    /**
     * For {@code GET /v1/clearances}: the creator, a reviewer of their brand, or a service with
     * {@code compliance:clearance} or {@code compliance:read}; else 404/403.
     */
    static void requireClearanceReader(Caller caller, String tenant, String creator) {
        if (caller.isService() && caller.scopes().contains(CLEARANCE_SCOPE)) {
            return;
        }
        requireReader(caller, tenant, creator, "brand");
    }

    /** A person with the role admin or a service with {@code compliance:audit}; else 403. */
    static void requireAuditor(Caller caller) {
        if (caller.isService() ? !caller.scopes().contains(AUDIT_SCOPE) : !caller.has(Caller.ADMIN)) {
            throw Problem.forbidden("this needs the role admin or a service token with scope '" + AUDIT_SCOPE + "'");
        }
    }

    /** A reviewer of {@code tenant}; another brand's person gets 404, anyone else 403. */
    static void requireReviewer(Caller caller, String tenant, String what) {
        if (!caller.isService()) {
            caller.requireTenant(tenant, what);
        }
        if (!isReviewerOf(caller, tenant)) {
            throw Problem.forbidden("this needs the role staff or admin of brand '" + tenant + "'");
        }
    }

    /** The creator themself (with the role creator) or a reviewer of their brand. */
    static void requireCreatorOrReviewer(Caller caller, String tenant, String creator, String what) {
        if (caller.isService()) {
            throw Problem.forbidden("a service cannot make this change; the creator or their brand's staff can");
        }
        caller.requireTenant(tenant, what);
        boolean self = caller.subject().equals(creator) && caller.has(Caller.CREATOR);
        if (!self && !isReviewerOf(caller, tenant)) {
            throw Problem.forbidden("only the creator themself or their brand's staff may do this");
        }
    }

    /** The subject of the caller, as the audit log's actor. */
    static String actor(Caller caller) {
        return caller.subject();
    }
}
