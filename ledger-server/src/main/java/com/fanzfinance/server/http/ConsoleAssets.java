package com.fanzfinance.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import io.javalin.http.Context;

/**
 * The finance console's files ({@code /console}): a fixed set of static files read from the classpath once, at
 * start, and served with a strict content security policy — scripts, styles and data only from this server, no
 * inline script, no framing. The console is a client of the JSON API like any other: it holds no secret and
 * the server answers its files without a key; what it shows is what the signed-in key may read.
 */
final class ConsoleAssets {
    /** Every file of the console; anything else under {@code /console/} is a 404. */
    static final String[] FILES = {"index.html", "console.css", "favicon.svg", "api.js", "app.js", "charts.js",
        "money.js", "ui.js", "page-sign-in.js", "page-overview.js", "page-reports.js", "page-statements.js",
        "page-payouts.js", "page-webhooks.js", "page-reconciliation.js", "page-merchants.js", "page-audit.js"};

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'"
        + " data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "css",
        "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");

    private final Map<String, byte[]> files = new TreeMap<>();

    ConsoleAssets() {
        for (String name : FILES) {
            files.put(name, read("/console/" + name));
        }
    }

    /** {@code GET /console}: the page itself. */
    void index(Context ctx) {
        serve(ctx, "index.html");
    }

    /** {@code GET /console/{file}}: one of {@link #FILES}, else 404. */
    void file(Context ctx) {
        String name = ctx.pathParam("file");
        if (!files.containsKey(name)) {
            throw Problem.notFound("no console file '" + (name.length() > 80 ? name.substring(0, 77) + "..." : name) + "'");
        }
        serve(ctx, name);
    }

    private void serve(Context ctx, String name) {
        ctx.status(200);
        ctx.contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        // The files change with the server's version; revalidating costs little and never runs old code.
        ctx.header("Cache-Control", "no-cache");
        ctx.result(files.get(name));
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + resource + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
