package com.fanzfinance.platform.content;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.client.PaymentsApi;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.PlatformService;
import com.fanzfinance.platform.common.ServiceApp;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.ServiceTokens;
import com.fanzfinance.platform.common.TokenVerifier;

import io.javalin.http.Context;

/**
 * The content service: creators' profiles, posts locked behind a price and published only with the
 * compliance service's clearance, subscription plans, bundles and tips, fans' purchases paid through
 * checkouts in the ledger server, and the entitlements that the ledger's payment events grant and take back.
 * It owns the schema {@code <prefix>content}, reaches the ledger only through {@code ledger-client} and the
 * other services only over HTTP (compliance for clearances, media to check the assets a post names, both with
 * its own service token). Who may do what is {@link Access}'s: services only read, with {@code content:read}.
 *
 * <p>Its own settings: {@code FANZ_CONTENT_TIP_MIN} and {@code FANZ_CONTENT_TIP_MAX} (a tip's bounds in minor
 * units, default 100 and 100,000), {@code FANZ_CONTENT_TIP_CURRENCY} (default USD),
 * {@code FANZ_CONTENT_EVENTS_WAIT_SECONDS} (the long poll on the ledger's events feed, 1–30, default 25) and
 * {@code FANZ_CONTENT_DB_POOL} (connections, default 8).
 */
public final class ContentService implements PlatformService {
    private final ServiceDatabase db;
    private final LedgerClient ledger;
    private final ServiceApp app;
    private final PaymentEventsFollower follower;

    private ContentService(ServiceDatabase db, LedgerClient ledger, ServiceApp app, PaymentEventsFollower follower) {
        this.db = db;
        this.ledger = ledger;
        this.app = app;
        this.follower = follower;
    }

    public static ContentService start(PlatformSettings settings) {
        Purchases.TipRules tips = new Purchases.TipRules(settings.getLong("FANZ_CONTENT_TIP_MIN", 100, 1, 1_000_000_000L),
            settings.getLong("FANZ_CONTENT_TIP_MAX", 100_000, 1, 1_000_000_000_000L),
            settings.get("FANZ_CONTENT_TIP_CURRENCY", "USD"));
        if (!Json.CURRENCY.matcher(tips.currency()).matches() || tips.min() > tips.max()) {
            throw new IllegalArgumentException("FANZ_CONTENT_TIP_CURRENCY must be a 3-letter code and "
                + "FANZ_CONTENT_TIP_MIN at most FANZ_CONTENT_TIP_MAX");
        }
        int waitSeconds = (int) settings.getLong("FANZ_CONTENT_EVENTS_WAIT_SECONDS", 25, 1,
            PaymentsApi.EVENTS_WAIT_SECONDS_MAX);
        String serviceKey = settings.serviceKey(PlatformSettings.CONTENT);
        LedgerClient ledger = LedgerClient.builder(settings.ledgerUrl(), settings.ledgerKey()).maxAttempts(3).build();
        ServiceDatabase db = ServiceDatabase.open(settings.database(), PlatformSettings.CONTENT,
            (int) settings.getLong("FANZ_CONTENT_DB_POOL", 8, 2, 100));
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            TokenVerifier verifier = TokenVerifier.remote(settings.url(PlatformSettings.IDENTITY), settings.issuer());
            ServiceCalls calls = new ServiceCalls(new ServiceTokens(settings.url(PlatformSettings.IDENTITY),
                PlatformSettings.CONTENT, serviceKey, http, Clock.systemUTC()), http);
            ComplianceClearances clearances = new ComplianceClearances(settings.url(PlatformSettings.COMPLIANCE), calls);
            MediaAssets media = new MediaAssets(settings.url(PlatformSettings.MEDIA), calls);
            PaymentsApi payments = ledger.payments();
            Entitlements entitlements = new Entitlements(db);
            Creators creators = new Creators(db, payments);
            Posts posts = new Posts(db, entitlements, clearances, media);
            Offers offers = new Offers(db);
            Purchases purchases = new Purchases(db, payments, posts, offers, creators, entitlements, tips);
            ServiceApp app = new ServiceApp(PlatformSettings.CONTENT, settings.host(), settings.port(PlatformSettings.CONTENT),
                settings.maxBodyBytes(), r -> {
                    r.put("/v1/creators/me", ctx -> creators.putMine(ctx, writer(verifier, ctx)));
                    r.get("/v1/creators/me/earnings", ctx -> creators.earnings(ctx, reader(verifier, ctx)));
                    r.get("/v1/creators/{id}", ctx -> creators.get(ctx, reader(verifier, ctx)));
                    r.post("/v1/posts", ctx -> posts.create(ctx, writer(verifier, ctx)));
                    r.get("/v1/posts", ctx -> posts.list(ctx, reader(verifier, ctx)));
                    r.get("/v1/posts/{id}", ctx -> posts.get(ctx, reader(verifier, ctx)));
                    r.post("/v1/posts/{id}/publish", ctx -> posts.publish(ctx, writer(verifier, ctx)));
                    r.post("/v1/plans", ctx -> offers.createPlan(ctx, writer(verifier, ctx)));
                    r.get("/v1/plans", ctx -> offers.listPlans(ctx, reader(verifier, ctx)));
                    r.post("/v1/bundles", ctx -> offers.createBundle(ctx, writer(verifier, ctx)));
                    r.get("/v1/bundles/{id}", ctx -> offers.getBundle(ctx, reader(verifier, ctx)));
                    r.post("/v1/purchases", ctx -> purchases.create(ctx, writer(verifier, ctx)));
                    r.get("/v1/purchases", ctx -> purchases.list(ctx, reader(verifier, ctx)));
                    r.get("/v1/purchases/{id}", ctx -> purchases.get(ctx, reader(verifier, ctx)));
                    r.get("/v1/entitlements", ctx -> entitlements.list(ctx, reader(verifier, ctx)));
                });
            PaymentEventsFollower follower = new PaymentEventsFollower(db, payments, waitSeconds, app.metrics(),
                Clock.systemUTC());
            app.start();
            return new ContentService(db, ledger, app, follower.start());
        } catch (RuntimeException e) {
            db.close();
            ledger.close();
            throw e;
        }
    }

    private static Caller reader(TokenVerifier verifier, Context ctx) {
        return Access.reader(verifier.caller(ctx));
    }

    private static Caller writer(TokenVerifier verifier, Context ctx) {
        return Access.writer(verifier.caller(ctx));
    }

    public int port() {
        return app.port();
    }

    public ServiceApp app() {
        return app;
    }

    @Override
    public void close() {
        follower.close();
        app.close();
        ledger.close();
        db.close();
    }
}
