package com.fanzfinance.platform.identity;

import static com.fanzfinance.platform.identity.schema.Tables.MEMBERSHIPS;
import static com.fanzfinance.platform.identity.schema.Tables.TENANTS;
import static com.fanzfinance.platform.identity.schema.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.identity.schema.tables.records.MembershipsRecord;
import com.fanzfinance.platform.identity.schema.tables.records.TenantsRecord;
import com.fanzfinance.platform.identity.schema.tables.records.UsersRecord;

/**
 * Brands (tenants), people and their memberships, in the identity schema. A person has one account across
 * the network (one per email, kept in lower case) and, per brand, a membership holding their roles there.
 * Platform admins hold {@code admin} on every brand, including brands made later.
 */
final class Accounts {
    static final int EMAIL_MAX = 254;
    static final int DISPLAY_NAME_MAX = 100;
    static final int TENANT_NAME_MAX = 100;
    /** A practical address check: one {@code @}, a dotted domain, no spaces or control characters. */
    static final Pattern EMAIL = Pattern.compile("[^\\s@\\p{Cntrl}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\\.)*"
        + "[A-Za-z0-9-]{0,62}\\.[A-Za-z]{2,63}");

    private final DSLContext dsl;
    private final Clock clock;

    /** A brand. */
    record Tenant(String slug, String name, Instant created) {
    }

    /** A person's account with their memberships (brand → roles). */
    record User(UUID id, String email, String displayName, String passwordHash, boolean platformAdmin,
                Instant created, Map<String, Set<String>> memberships) {
    }

    /** A member of a brand as its staff lists them. */
    record Member(UUID userId, String email, String displayName, Set<String> roles, Instant joined) {
    }

    Accounts(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** {@code email} as stored and looked up: trimmed, lower case. */
    static String normalEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    List<Tenant> tenants() {
        return dsl.selectFrom(TENANTS).orderBy(TENANTS.SLUG).fetch(Accounts::tenant);
    }

    Optional<Tenant> tenant(String slug) {
        return dsl.selectFrom(TENANTS).where(TENANTS.SLUG.eq(slug)).fetchOptional().map(Accounts::tenant);
    }

    boolean tenantExists(String slug) {
        return dsl.fetchExists(TENANTS, TENANTS.SLUG.eq(slug));
    }

    /** Makes brand {@code slug} (409 {@code tenant-exists} if it is there) and gives platform admins admin on it. */
    Tenant createTenant(String slug, String name) {
        Instant now = clock.instant();
        dsl.transaction(tx -> {
            DSLContext db = tx.dsl();
            int made = db.insertInto(TENANTS).set(TENANTS.SLUG, slug).set(TENANTS.NAME, name)
                .set(TENANTS.CREATED, utc(now)).onConflictDoNothing().execute();
            if (made == 0) {
                throw Problem.conflict("tenant-exists", "brand '" + slug + "' exists");
            }
            for (UUID admin : db.select(USERS.ID).from(USERS).where(USERS.PLATFORM_ADMIN.isTrue()).fetch(USERS.ID)) {
                grant(db, admin, slug, Set.of(Caller.ADMIN), now);
            }
        });
        return new Tenant(slug, name, now);
    }

    /** Makes the brands of {@code slugs} that are missing (named as their slug); the ones made. */
    List<String> ensureTenants(List<String> slugs) {
        List<String> made = new ArrayList<>();
        for (String slug : slugs) {
            if (!tenantExists(slug)) {
                try {
                    createTenant(slug, slug);
                    made.add(slug);
                } catch (Problem e) {
                    // another instance made it first
                }
            }
        }
        return made;
    }

    /**
     * Signs up a person on {@code tenant} with {@code role}: 409 {@code email-taken} if the email has an
     * account. The password must already be hashed.
     */
    User createUser(String tenant, String email, String passwordHash, String displayName, String role) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        dsl.transaction(tx -> {
            DSLContext db = tx.dsl();
            int made = db.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.EMAIL, email)
                .set(USERS.DISPLAY_NAME, displayName)
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.CREATED, utc(now))
                .onConflict(USERS.EMAIL).doNothing()
                .execute();
            if (made == 0) {
                throw Problem.conflict("email-taken", "an account with this email exists; sign in instead");
            }
            grant(db, id, tenant, Set.of(role), now);
        });
        return user(id).orElseThrow();
    }

    /**
     * Makes {@code email} the platform admin (admin on every brand), creating the account with
     * {@code passwordHash} if it has none; an existing account keeps its password.
     */
    UUID ensurePlatformAdmin(String email, String passwordHash, Set<String> tenants) {
        Instant now = clock.instant();
        return dsl.transactionResult(tx -> {
            DSLContext db = tx.dsl();
            db.insertInto(USERS)
                .set(USERS.ID, UUID.randomUUID())
                .set(USERS.EMAIL, email)
                .set(USERS.DISPLAY_NAME, "Platform admin")
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.PLATFORM_ADMIN, true)
                .set(USERS.CREATED, utc(now))
                .onConflictDoNothing().execute();
            UsersRecord user = db.selectFrom(USERS).where(USERS.EMAIL.eq(email)).forUpdate().fetchSingle();
            if (!user.getPlatformAdmin()) {
                user.setPlatformAdmin(true);
                user.store();
            }
            for (String tenant : tenants) {
                grant(db, user.getId(), tenant, Set.of(Caller.ADMIN), now);
            }
            return user.getId();
        });
    }

    Optional<User> userByEmail(String email) {
        return dsl.selectFrom(USERS).where(USERS.EMAIL.eq(email)).fetchOptional().map(this::user);
    }

    Optional<User> user(UUID id) {
        return dsl.selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional().map(this::user);
    }

    boolean isPlatformAdmin(UUID id) {
        return dsl.fetchExists(USERS, USERS.ID.eq(id).and(USERS.PLATFORM_ADMIN.isTrue()));
    }

    /** Replaces a user's password hash (re-hashing with the current parameters). */
    void rehash(UUID id, String passwordHash) {
        dsl.update(USERS).set(USERS.PASSWORD_HASH, passwordHash).where(USERS.ID.eq(id)).execute();
    }

    /** The user's roles on {@code tenant}, or empty if they are no member there. */
    Optional<Set<String>> roles(UUID user, String tenant) {
        return dsl.selectFrom(MEMBERSHIPS).where(MEMBERSHIPS.USER_ID.eq(user).and(MEMBERSHIPS.TENANT.eq(tenant)))
            .fetchOptional().map(Accounts::roles);
    }

    /** The user's roles on {@code tenant}, making them a fan there first if they are no member (SSO sign-up). */
    Set<String> rolesOrJoinAsFan(UUID user, String tenant) {
        Instant now = clock.instant();
        dsl.insertInto(MEMBERSHIPS)
            .set(MEMBERSHIPS.USER_ID, user)
            .set(MEMBERSHIPS.TENANT, tenant)
            .set(MEMBERSHIPS.FAN, true)
            .set(MEMBERSHIPS.CREATED, utc(now))
            .set(MEMBERSHIPS.UPDATED, utc(now))
            .onConflictDoNothing().execute();
        return roles(user, tenant).orElseThrow();
    }

    /** The member {@code user} of {@code tenant}, if they are one. */
    Optional<Member> member(String tenant, UUID user) {
        return dsl.select().from(MEMBERSHIPS).join(USERS).on(USERS.ID.eq(MEMBERSHIPS.USER_ID))
            .where(MEMBERSHIPS.TENANT.eq(tenant).and(MEMBERSHIPS.USER_ID.eq(user)))
            .fetchOptional(r -> member(r.into(MEMBERSHIPS), r.into(USERS)));
    }

    /**
     * Sets the roles of member {@code user} of {@code tenant}; false if they are no member there. The brand's
     * admin memberships are locked first, so two admins taking admin from each other at once cannot leave the
     * brand without one: taking it from the last admin is 409 {@code last-admin}.
     */
    boolean setRoles(String tenant, UUID user, Set<String> roles) {
        return dsl.transactionResult(tx -> {
            DSLContext db = tx.dsl();
            List<UUID> admins = db.select(MEMBERSHIPS.USER_ID).from(MEMBERSHIPS)
                .where(MEMBERSHIPS.TENANT.eq(tenant).and(MEMBERSHIPS.ADMIN.isTrue()))
                .orderBy(MEMBERSHIPS.USER_ID).forUpdate().fetch(MEMBERSHIPS.USER_ID);
            if (!roles.contains(Caller.ADMIN) && admins.equals(List.of(user))) {
                throw Problem.conflict("last-admin", "this is the last admin of brand '" + tenant
                    + "'; make another member admin first");
            }
            return db.update(MEMBERSHIPS)
                .set(MEMBERSHIPS.FAN, roles.contains(Caller.FAN))
                .set(MEMBERSHIPS.CREATOR, roles.contains(Caller.CREATOR))
                .set(MEMBERSHIPS.STAFF, roles.contains(Caller.STAFF))
                .set(MEMBERSHIPS.ADMIN, roles.contains(Caller.ADMIN))
                .set(MEMBERSHIPS.UPDATED, utc(clock.instant()))
                .where(MEMBERSHIPS.TENANT.eq(tenant).and(MEMBERSHIPS.USER_ID.eq(user)))
                .execute() == 1;
        });
    }

    /** Members of {@code tenant} (with {@code role} if given), by user id after {@code after}, at most {@code limit}. */
    List<Member> members(String tenant, String role, UUID after, int limit) {
        Condition condition = MEMBERSHIPS.TENANT.eq(tenant);
        if (role != null) {
            condition = condition.and(roleColumn(role).isTrue());
        }
        if (after != null) {
            condition = condition.and(MEMBERSHIPS.USER_ID.gt(after));
        }
        return dsl.select().from(MEMBERSHIPS).join(USERS).on(USERS.ID.eq(MEMBERSHIPS.USER_ID))
            .where(condition).orderBy(MEMBERSHIPS.USER_ID).limit(limit)
            .fetch(r -> member(r.into(MEMBERSHIPS), r.into(USERS)));
    }

    /** Adds {@code roles} to the user's membership of {@code tenant}, making it if needed. */
    private static void grant(DSLContext db, UUID user, String tenant, Set<String> roles, Instant now) {
        db.insertInto(MEMBERSHIPS)
            .set(MEMBERSHIPS.USER_ID, user)
            .set(MEMBERSHIPS.TENANT, tenant)
            .set(MEMBERSHIPS.FAN, roles.contains(Caller.FAN))
            .set(MEMBERSHIPS.CREATOR, roles.contains(Caller.CREATOR))
            .set(MEMBERSHIPS.STAFF, roles.contains(Caller.STAFF))
            .set(MEMBERSHIPS.ADMIN, roles.contains(Caller.ADMIN))
            .set(MEMBERSHIPS.CREATED, utc(now))
            .set(MEMBERSHIPS.UPDATED, utc(now))
            .onConflict(MEMBERSHIPS.USER_ID, MEMBERSHIPS.TENANT).doUpdate()
            .set(MEMBERSHIPS.FAN, roles.contains(Caller.FAN) ? DSL.inline(true) : MEMBERSHIPS.FAN)
            .set(MEMBERSHIPS.CREATOR, roles.contains(Caller.CREATOR) ? DSL.inline(true) : MEMBERSHIPS.CREATOR)
            .set(MEMBERSHIPS.STAFF, roles.contains(Caller.STAFF) ? DSL.inline(true) : MEMBERSHIPS.STAFF)
            .set(MEMBERSHIPS.ADMIN, roles.contains(Caller.ADMIN) ? DSL.inline(true) : MEMBERSHIPS.ADMIN)
            .set(MEMBERSHIPS.UPDATED, utc(now))
            .execute();
    }

    private static Field<Boolean> roleColumn(String role) {
        return switch (role) {
            case Caller.FAN -> MEMBERSHIPS.FAN;
            case Caller.CREATOR -> MEMBERSHIPS.CREATOR;
            case Caller.STAFF -> MEMBERSHIPS.STAFF;
            case Caller.ADMIN -> MEMBERSHIPS.ADMIN;
            default -> throw new IllegalArgumentException("no role " + role);
        };
    }

    private User user(UsersRecord row) {
        Map<String, Set<String>> memberships = new TreeMap<>();
        for (MembershipsRecord membership : dsl.selectFrom(MEMBERSHIPS).where(MEMBERSHIPS.USER_ID.eq(row.getId())).fetch()) {
            memberships.put(membership.getTenant(), roles(membership));
        }
        return new User(row.getId(), row.getEmail(), row.getDisplayName(), row.getPasswordHash(),
            row.getPlatformAdmin(), row.getCreated().toInstant(), memberships);
    }

    private static Member member(MembershipsRecord membership, UsersRecord user) {
        return new Member(user.getId(), user.getEmail(), user.getDisplayName(), roles(membership),
            membership.getCreated().toInstant());
    }

    private static Set<String> roles(MembershipsRecord row) {
        Set<String> roles = new HashSet<>();
        if (row.getFan()) {
            roles.add(Caller.FAN);
        }
        if (row.getCreator()) {
            roles.add(Caller.CREATOR);
        }
        if (row.getStaff()) {
            roles.add(Caller.STAFF);
        }
        if (row.getAdmin()) {
            roles.add(Caller.ADMIN);
        }
        return roles;
    }

    private static Tenant tenant(TenantsRecord row) {
        return new Tenant(row.getSlug(), row.getName(), row.getCreated().toInstant());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
