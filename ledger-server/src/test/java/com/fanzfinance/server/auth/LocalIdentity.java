package com.fanzfinance.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small stand-in of the platform's identity service for the server's tests (the real one lives in
 * {@code platform-services}, which depends on this module): an HTTP server on a free loopback port publishing a JWKS
 * at {@code /.well-known/jwks.json} and answering {@code POST /oauth/token} with {@code grant_type=password} for the
 * people it is given. Its tokens have exactly the identity service's shape: JWS RS256, header {@code typ: at+jwt} and
 * {@code kid}, claims {@code iss} ({@code fanz-identity}), {@code aud} ({@code fanz-platform}), {@code sub},
 * {@code tenant}, {@code roles}, {@code jti}, {@code iat}, {@code exp} (15 minutes), {@code auth_time},
 * {@code email}; its refusals are OAuth errors ({@code {"error", "error_description"}}, 400). Tests can also sign
 * tokens of any other shape ({@link #sign}) and count the JWKS fetches.
 */
public final class LocalIdentity implements AutoCloseable {
    public static final String ISSUER = "fanz-identity";
    public static final String AUDIENCE = "fanz-platform";
    public static final long TTL_SECONDS = 900;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A person who can sign in: their password, and their roles on each brand they are a member of. */
    public record Person(String subject, String email, String password, Map<String, List<String>> rolesByBrand) {
    }

    private final HttpServer server;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private volatile RSAKey active;
    private final Map<String, Person> people = new ConcurrentHashMap<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** When set, the token endpoint answers this refusal description to every request. */
    private volatile String forcedRefusal;
    /** Characters of filler the JWKS carries (an oversized answer). */
    private volatile int jwksFiller;

    private LocalIdentity(HttpServer server) {
        this.server = server;
        this.active = newKey();
        published.add(active);
    }

    /** Starts the stand-in on a free loopback port. */
    public static LocalIdentity start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LocalIdentity identity = new LocalIdentity(server);
            server.createContext("/.well-known/jwks.json", identity::jwks);
            server.createContext("/oauth/token", identity::token);
            server.start();
            return identity;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    /** Adds a person (their subject a fresh UUID) and returns them. */
    public Person addPerson(String email, String password, Map<String, List<String>> rolesByBrand) {
        Person person = new Person(UUID.randomUUID().toString(), email, password, Map.copyOf(rolesByBrand));
        people.put(email, person);
        return person;
    }

    /** Makes the token endpoint refuse every sign-in with {@code description} (null: back to normal). */
    public void refuseEverySignIn(String description) {
        this.forcedRefusal = description;
    }

    /** A new signing key, published from now on and used for the tokens made from now on; the old stays published. */
    public RSAKey rotate() {
        active = newKey();
        published.add(active);
        return active;
    }

    /** A key of the right kind that the JWKS does not publish (yet): {@link #publish} it, or sign forgeries with it. */
    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the JWKS carry {@code characters} of filler from now on. */
    public void padJwks(int characters) {
        this.jwksFiller = characters;
    }

    public void publish(RSAKey key) {
        published.add(key);
    }

    /** Stops publishing {@code key} (a key the identity service withdrew). */
    public void withdraw(RSAKey key) {
        published.removeIf(candidate -> candidate.getKeyID().equals(key.getKeyID()));
    }

    public RSAKey activeKey() {
        return active;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** The claims of a token the identity service would issue now for {@code person} on {@code brand}. */
    public static JWTClaimsSet.Builder claims(Person person, String brand, Instant now) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(person.subject())
            .claim("tenant", brand).claim("roles", person.rolesByBrand().getOrDefault(brand, List.of()))
            .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(TTL_SECONDS))).claim("auth_time", now.getEpochSecond())
            .claim("email", person.email());
    }

    /** A token exactly as the identity service would issue now for {@code person} on {@code brand}. */
    public String token(Person person, String brand) {
        RSAKey key = active;
        return sign(key, header(key), claims(person, brand, Instant.ofEpochSecond(Instant.now().getEpochSecond())).build());
    }

    /** The identity service's header for {@code key}: RS256, {@code typ: at+jwt}, its {@code kid}. */
    public static JWSHeader header(RSAKey key) {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build();
    }

    /** {@code claims} under {@code header}, signed RS256 with {@code key}. */
    public static String sign(RSAKey key, JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        for (RSAKey key : published) {
            keys.add(key.toPublicJWK());
        }
        String set = new JWKSet(keys).toString(true);
        int filler = jwksFiller;
        answer(exchange, 200, filler == 0 ? set : set.substring(0, set.length() - 1) + ",\"filler\":\"" + "x".repeat(filler)
            + "\"}");
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = form(exchange.getRequestBody());
        String refusal = forcedRefusal;
        if (refusal != null) {
            refuse(exchange, refusal);
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod()) || !"password".equals(form.get("grant_type"))) {
            answer(exchange, 400, JSON.writeValueAsString(Map.of("error", "unsupported_grant_type",
                "error_description", "grant_type must be password here")));
            return;
        }
        Person person = people.get(form.getOrDefault("username", ""));
        if (person == null || !person.password().equals(form.get("password"))) {
            refuse(exchange, "wrong email or password");
            return;
        }
        String brand = form.getOrDefault("tenant", "");
        if (!person.rolesByBrand().containsKey(brand)) {
            refuse(exchange, "the account is no member of brand '" + brand + "'");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token(person, brand));
        body.put("token_type", "Bearer");
        body.put("expires_in", TTL_SECONDS);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        answer(exchange, 200, JSON.writeValueAsString(body));
    }

    private static void refuse(HttpExchange exchange, String description) throws IOException {
        answer(exchange, 400, JSON.writeValueAsString(Map.of("error", "invalid_grant", "error_description", description)));
    }

    private static Map<String, String> form(InputStream body) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(body.readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops answering (a second call does nothing). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
        }
    }
}
