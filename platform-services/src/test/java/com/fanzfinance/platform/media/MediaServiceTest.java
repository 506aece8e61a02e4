package com.fanzfinance.platform.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.testing.PlatformTestDatabase;
import com.fanzfinance.platform.testing.TestTokens;

/**
 * The media service end to end: real PostgreSQL, real HTTP on a real port, real files in a temporary
 * directory, pictures drawn with java.awt. Each test gets its own schema and storage, so the near-duplicate
 * search of one test never sees another's pictures.
 */
class MediaServiceTest {
    private static final String GIRLFANZ = "girlfanz";
    private static final String BOYFANZ = "boyfanz";
    private static final long MAX_BYTES = 1 << 20;

    private static TestTokens tokens;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String alice = UUID.randomUUID().toString();
    private final String bob = UUID.randomUUID().toString();
    private final String carol = UUID.randomUUID().toString();
    private String prefix;
    private Map<String, String> settings;
    private MediaService media;
    private String aliceToken;
    private String bobToken;
    private String carolToken;

    @TempDir
    Path data;

    @BeforeAll
    static void identity() {
        tokens = new TestTokens();
    }

    @AfterAll
    static void closeIdentity() {
        tokens.close();
    }

    @BeforeEach
    void start() {
        prefix = PlatformTestDatabase.freshPrefix();
        settings = new HashMap<>(PlatformTestDatabase.settings(prefix));
        settings.put("FANZ_MEDIA_PORT", "0");
        settings.put("FANZ_IDENTITY_URL", tokens.identityUrl().toString());
        settings.put("FANZ_TOKEN_ISSUER", TestTokens.ISSUER);
        settings.put("FANZ_PLATFORM_DATA", data.toString());
        settings.put("FANZ_MEDIA_MAX_BYTES", Long.toString(MAX_BYTES));
        media = MediaService.start(new PlatformSettings(settings));
        aliceToken = tokens.person(alice, GIRLFANZ, "creator");
        bobToken = tokens.person(bob, BOYFANZ, "creator");
        carolToken = tokens.person(carol, GIRLFANZ, "creator");
    }

    @AfterEach
    void stop() {
        media.close();
        PlatformTestDatabase.drop(prefix);
    }

    /** Starts the service again on the same database and files with {@code more} settings. */
    private void restart(Map<String, String> more) {
        media.close();
        settings.putAll(more);
        media = MediaService.start(new PlatformSettings(settings));
    }

    @Test
    void anUploadIsStoredContentAddressedWithItsHashesAndStreamedBackWithItsEtag() throws Exception {
        byte[] png = TestImages.png(TestImages.picture(1));
        HttpResponse<String> response = upload(aliceToken, GIRLFANZ, "beach.png", "image/png", png);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode asset = json(response);
        String sha256 = sha256(png);
        assertThat(asset.get("sha256").asText()).isEqualTo(sha256);
        assertThat(asset.get("tenant").asText()).isEqualTo(GIRLFANZ);
        assertThat(asset.get("creator").asText()).isEqualTo(alice);
        assertThat(asset.get("filename").asText()).isEqualTo("beach.png");
        assertThat(asset.get("content_type").asText()).isEqualTo("image/png");
        assertThat(asset.get("size").asLong()).isEqualTo(png.length);
        assertThat(asset.get("width").asInt()).isEqualTo(256);
        assertThat(asset.get("height").asInt()).isEqualTo(256);
        assertThat(asset.get("phash").asText())
            .isEqualTo(ImageHashes.hex(ImageHashes.phash(TestImages.picture(1))));
        assertThat(asset.get("dhash").asText()).matches("[0-9a-f]{16}");
        assertThat(asset.get("duplicate_of").isNull()).isTrue();
        assertThat(asset.get("review").isNull()).isTrue();
        assertThat(asset.get("similar")).isEmpty();
        assertThat(asset.get("content_refs")).isEmpty();
        assertThat(asset.get("performer_record_ids")).isEmpty();
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/assets/" + asset.get("id").asText());

        Path stored = data.resolve("media").resolve(sha256.substring(0, 2)).resolve(sha256);
        assertThat(sha256(Files.readAllBytes(stored))).isEqualTo(sha256);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("media")))).isEqualTo("rwx------");
        assertThat(stagedFiles()).isEmpty();

        String id = asset.get("id").asText();
        HttpResponse<byte[]> content = http.send(request("/v1/assets/" + id + "/content", aliceToken).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(png);
        assertThat(content.headers().firstValue("ETag")).hasValue("\"" + sha256 + "\"");
        assertThat(content.headers().firstValue("Content-Type")).hasValue("image/png");
        HttpResponse<byte[]> unchanged = http.send(request("/v1/assets/" + id + "/content", aliceToken)
            .header("If-None-Match", "\"" + sha256 + "\"").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();

        HttpResponse<String> read = get("/v1/assets/" + id, aliceToken);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read)).isEqualTo(asset);
    }

    @Test
    void theSameBytesInTheSameBrandAreADuplicateStoredOnce() throws Exception {
        byte[] png = TestImages.png(TestImages.picture(2));
        JsonNode first = json(upload(aliceToken, GIRLFANZ, "a.png", "image/png", png));
        HttpResponse<String> again = upload(aliceToken, GIRLFANZ, "a-again.png", "image/png", png);
        assertThat(again.statusCode()).isEqualTo(201);
        JsonNode second = json(again);
        assertThat(second.get("id").asText()).isNotEqualTo(first.get("id").asText());
        assertThat(second.get("duplicate_of").asText()).isEqualTo(first.get("id").asText());
        assertThat(second.get("review").isNull()).as("the same creator's copy is no re-upload").isTrue();
        JsonNode byCarol = json(upload(carolToken, GIRLFANZ, "mine.png", "image/png", png));
        assertThat(byCarol.get("duplicate_of").asText()).isEqualTo(first.get("id").asText());
        assertThat(storedFiles()).hasSize(1);

        JsonNode otherBrand = json(upload(bobToken, BOYFANZ, "b.png", "image/png", png));
        assertThat(otherBrand.get("duplicate_of").isNull()).as("duplicates are per brand").isTrue();
        assertThat(otherBrand.get("review").asText()).isEqualTo("possible-reupload");
        assertThat(otherBrand.get("similar").findValuesAsText("distance")).contains("0");
        assertThat(storedFiles()).hasSize(1);
    }

    @Test
    void aReuploadOfAnotherCreatorsPictureIsFlaggedButTheSameCreatorsEditIsNot() throws Exception {
        var original = TestImages.picture(3);
        JsonNode alices = json(upload(aliceToken, GIRLFANZ, "original.png", "image/png", TestImages.png(original)));
        JsonNode brighter = json(upload(aliceToken, GIRLFANZ, "brighter.jpg", "image/jpeg",
            TestImages.jpeg(TestImages.brightened(original, 1.1), 0.9f)));
        assertThat(brighter.get("review").isNull()).as("the same creator's edit is no re-upload").isTrue();
        assertThat(brighter.get("similar")).isEmpty();
        assertThat(brighter.get("duplicate_of").isNull()).isTrue();

        byte[] stolen = TestImages.jpeg(TestImages.resized(original, 200, 200), 0.6f);
        HttpResponse<String> response = upload(bobToken, BOYFANZ, "stolen.jpg", "image/jpeg", stolen);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode bobs = json(response);
        assertThat(bobs.get("review").asText()).isEqualTo("possible-reupload");
        assertThat(bobs.get("duplicate_of").isNull()).isTrue();
        assertThat(bobs.get("width").asInt()).isEqualTo(200);
        assertThat(bobs.get("similar")).hasSize(2);
        for (JsonNode match : bobs.get("similar")) {
            assertThat(match.get("distance").asInt()).isBetween(0, 10);
        }
        assertThat(json(get("/v1/assets/" + bobs.get("id").asText(), bobToken))).isEqualTo(bobs);
        String reader = tokens.service("content", "media:read");
        assertThat(json(get("/v1/assets/" + bobs.get("id").asText(), reader)).get("similar").findValuesAsText("asset_id"))
            .containsExactlyInAnyOrder(alices.get("id").asText(), brighter.get("id").asText());

        JsonNode similarToAlices = json(get("/v1/assets/" + alices.get("id").asText() + "/similar", reader));
        assertThat(similarToAlices.get("similar").findValuesAsText("asset_id")).containsExactly(bobs.get("id").asText());
        JsonNode alicesNow = json(get("/v1/assets/" + alices.get("id").asText(), aliceToken));
        assertThat(alicesNow.get("review").isNull()).as("the original is not the re-upload").isTrue();

        JsonNode different = json(upload(carolToken, GIRLFANZ, "other.png", "image/png",
            TestImages.png(TestImages.picture(4))));
        assertThat(different.get("review").isNull()).isTrue();
        assertThat(different.get("similar")).isEmpty();
    }

    @Test
    void anUploadOverTheLimitIs413AndLeavesNoFile() throws Exception {
        byte[] big = new byte[(int) MAX_BYTES + 100_000];
        new Random(7).nextBytes(big);
        // The client, still sending, reads the refusal every time (see the raw-socket test below for why).
        for (int attempt = 0; attempt < 10; attempt++) {
            HttpResponse<String> declared = upload(aliceToken, GIRLFANZ, "big.png", "image/png", big);
            assertThat(declared.statusCode()).isEqualTo(413);
            assertThat(problemType(declared)).isEqualTo("body-too-large");
        }

        for (int attempt = 0; attempt < 3; attempt++) {
            HttpResponse<String> streamed = http.send(request("/v1/assets?tenant=girlfanz&filename=big.mp4",
                    aliceToken)
                .header("Content-Type", "video/mp4")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(streamed.statusCode()).isEqualTo(413);
            assertThat(problemType(streamed)).isEqualTo("body-too-large");
        }
        assertThat(storedFiles()).isEmpty();
        assertThat(stagedFiles()).isEmpty();
        assertThat(json(get("/v1/assets?tenant=girlfanz", aliceToken)).get("assets")).isEmpty();
    }

    @Test
    void aRefusedBodyIsReadToItsEndSoTheConnectionStaysUsableAndAnExpectingClientSendsNothing() throws Exception {
        byte[] big = new byte[(int) MAX_BYTES + 100_000];
        new Random(8).nextBytes(big);
        try (Socket socket = new Socket("127.0.0.1", media.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            // Declared over the limit, then streamed over it (chunked): each answered 413 after the whole body
            // was read, so the same connection takes the next request (unread bytes would have closed it).
            out.write(head("POST", "/v1/assets?tenant=girlfanz&filename=big.png", aliceToken,
                "Content-Type: image/png\r\nContent-Length: " + big.length));
            out.write(big);
            out.flush();
            assertThat(RawResponse.read(in).status()).isEqualTo(413);
            out.write(head("POST", "/v1/assets?tenant=girlfanz&filename=big.mp4", aliceToken,
                "Content-Type: video/mp4\r\nTransfer-Encoding: chunked"));
            out.write((Integer.toHexString(big.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(big);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawResponse streamed = RawResponse.read(in);
            assertThat(streamed.status()).isEqualTo(413);
            assertThat(streamed.body()).contains("body-too-large");
            out.write(head("GET", "/health", null, null));
            out.flush();
            assertThat(RawResponse.read(in).status()).as("the same connection, after two refusals").isEqualTo(200);
            // Invited (100 Continue: the server began reading), then refused mid-body: dropped all the same.
            out.write(head("POST", "/v1/assets?tenant=girlfanz&filename=big.mp4", aliceToken,
                "Content-Type: video/mp4\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked"));
            out.flush();
            assertThat(RawResponse.read(in).status()).isEqualTo(100);
            out.write((Integer.toHexString(big.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(big);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawResponse.read(in).status()).isEqualTo(413);
            out.write(head("GET", "/health", null, null));
            out.flush();
            assertThat(RawResponse.read(in).status()).as("and after a third").isEqualTo(200);
        }
        try (Socket socket = new Socket("127.0.0.1", media.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/v1/assets?tenant=girlfanz&filename=big.png", aliceToken,
                "Content-Type: image/png\r\nExpect: 100-continue\r\nContent-Length: " + big.length));
            out.flush();
            assertThat(RawResponse.read(new java.io.BufferedInputStream(socket.getInputStream())).status())
                .as("refused before the body is invited: no 100 Continue first").isEqualTo(413);
        }
        assertThat(storedFiles()).isEmpty();
        assertThat(stagedFiles()).isEmpty();
    }

    private static byte[] head(String method, String target, String token, String headers) {
        return (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + (headers == null ? "" : headers + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** An HTTP/1.1 response read off a socket: its status and (Content-Length) body. */
    private record RawResponse(int status, String body) {
        static RawResponse read(InputStream in) throws IOException {
            String statusLine = line(in);
            int length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]),
                new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new java.io.EOFException("the connection closed mid-response: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    @Test
    void aBodyThatIsNotItsDeclaredTypeIs422AndWrongTypesAre415() throws Exception {
        byte[] png = TestImages.png(TestImages.picture(5));
        HttpResponse<String> truncated = upload(aliceToken, GIRLFANZ, "cut.png", "image/png",
            java.util.Arrays.copyOf(png, png.length / 2));
        assertThat(truncated.statusCode()).isEqualTo(422);
        assertThat(problemType(truncated)).isEqualTo("undecodable-image");
        byte[] corrupt = png.clone();
        for (int i = 100; i < 400; i++) {
            corrupt[i] = (byte) (corrupt[i] ^ 0x5a);
        }
        assertThat(upload(aliceToken, GIRLFANZ, "bad.png", "image/png", corrupt).statusCode()).isEqualTo(422);
        HttpResponse<String> mislabelled = upload(aliceToken, GIRLFANZ, "x.jpg", "image/jpeg", png);
        assertThat(mislabelled.statusCode()).isEqualTo(422);
        assertThat(problemType(mislabelled)).isEqualTo("undecodable-image");
        HttpResponse<String> notVideo = upload(aliceToken, GIRLFANZ, "x.mp4", "video/mp4", png);
        assertThat(notVideo.statusCode()).isEqualTo(422);
        assertThat(problemType(notVideo)).isEqualTo("undecodable-video");

        for (String type : new String[] {"application/octet-stream", "text/plain", "image/svg+xml"}) {
            HttpResponse<String> refused = upload(aliceToken, GIRLFANZ, "x", type, png);
            assertThat(refused.statusCode()).as(type).isEqualTo(415);
            assertThat(problemType(refused)).isEqualTo("unsupported-media-type");
        }
        assertThat(storedFiles()).isEmpty();
        assertThat(stagedFiles()).isEmpty();
    }

    @Test
    void videosAndWebpAreCheckedByTheirHeaders() throws Exception {
        byte[] mp4 = new byte[2048];
        System.arraycopy(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, mp4, 0, 12);
        JsonNode video = json(upload(aliceToken, GIRLFANZ, "clip.mp4", "video/mp4", mp4));
        assertThat(video.get("content_type").asText()).isEqualTo("video/mp4");
        assertThat(video.get("phash").isNull()).isTrue();
        assertThat(video.get("width").isNull()).isTrue();

        byte[] webp = new byte[64];
        System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, webp, 0, 4);
        System.arraycopy("WEBPVP8L".getBytes(StandardCharsets.US_ASCII), 0, webp, 8, 8);
        webp[20] = 0x2f;
        int bits = (640 - 1) | ((480 - 1) << 14);
        for (int i = 0; i < 4; i++) {
            webp[21 + i] = (byte) (bits >>> (8 * i));
        }
        JsonNode picture = json(upload(aliceToken, GIRLFANZ, "p.webp", "image/webp", webp));
        assertThat(picture.get("width").asInt()).isEqualTo(640);
        assertThat(picture.get("height").asInt()).isEqualTo(480);
        assertThat(picture.get("phash").isNull()).isTrue();
        webp[8] = 'X';
        assertThat(problemType(upload(aliceToken, GIRLFANZ, "p.webp", "image/webp", webp))).isEqualTo("undecodable-image");
    }

    @Test
    void linksAreReplacedValidatedAndFilterTheListing() throws Exception {
        String id = json(upload(aliceToken, GIRLFANZ, "a.png", "image/png", TestImages.png(TestImages.picture(6))))
            .get("id").asText();
        String other = json(upload(aliceToken, GIRLFANZ, "b.png", "image/png", TestImages.png(TestImages.picture(7))))
            .get("id").asText();
        String record = UUID.randomUUID().toString();
        String post = "post:" + UUID.randomUUID();
        HttpResponse<String> linked = put("/v1/assets/" + id + "/links", aliceToken,
            "{\"content_refs\":[\"" + post + "\",\"message:m-1\"],\"performer_record_ids\":[\"" + record + "\"]}");
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
        assertThat(List.of(json(linked).get("content_refs").get(0).asText(), json(linked).get("content_refs").get(1).asText()))
            .containsExactly(post, "message:m-1");
        assertThat(json(linked).get("performer_record_ids").get(0).asText()).isEqualTo(record);

        assertThat(ids(get("/v1/assets?tenant=girlfanz&content_ref=" + post, aliceToken))).containsExactly(id);
        assertThat(ids(get("/v1/assets?tenant=girlfanz&performer_record_id=" + record, aliceToken))).containsExactly(id);
        assertThat(ids(get("/v1/assets?tenant=girlfanz", aliceToken))).containsExactly(id, other);

        HttpResponse<String> replaced = put("/v1/assets/" + id + "/links", aliceToken,
            "{\"content_refs\":[],\"performer_record_ids\":[]}");
        assertThat(json(replaced).get("content_refs")).isEmpty();
        assertThat(ids(get("/v1/assets?tenant=girlfanz&content_ref=" + post, aliceToken))).isEmpty();

        assertInvalid(id, "{\"content_refs\":[\"Post:1\"],\"performer_record_ids\":[]}", "/content_refs/0");
        assertInvalid(id, "{\"content_refs\":[\"post:\"],\"performer_record_ids\":[]}", "/content_refs/0");
        assertInvalid(id, "{\"content_refs\":[\"post:a b\"],\"performer_record_ids\":[]}", "/content_refs/0");
        assertInvalid(id, "{\"content_refs\":[\"post:1\",\"post:1\"],\"performer_record_ids\":[]}", "/content_refs/1");
        assertInvalid(id, "{\"content_refs\":[],\"performer_record_ids\":[\"not-a-uuid\"]}", "/performer_record_ids/0");
        assertInvalid(id, "{\"content_refs\":[7],\"performer_record_ids\":[]}", "/content_refs/0");
        assertInvalid(id, "{\"performer_record_ids\":[]}", "/content_refs");
        StringBuilder many = new StringBuilder("{\"content_refs\":[");
        for (int i = 0; i <= 100; i++) {
            many.append(i == 0 ? "" : ",").append("\"post:").append(i).append('"');
        }
        assertInvalid(id, many.append("],\"performer_record_ids\":[]}").toString(), "/content_refs");
        HttpResponse<String> unknown = put("/v1/assets/" + id + "/links", aliceToken,
            "{\"content_refs\":[],\"performer_record_ids\":[],\"tags\":[]}");
        assertThat(problemType(unknown)).isEqualTo("unknown-field");
        assertThat(put("/v1/assets/" + id + "/links", carolToken, "{\"content_refs\":[],\"performer_record_ids\":[]}")
            .statusCode()).isEqualTo(403);
        String staff = tokens.person(UUID.randomUUID().toString(), GIRLFANZ, "staff");
        assertThat(put("/v1/assets/" + id + "/links", staff, "{\"content_refs\":[\"post:9\"],\"performer_record_ids\":[]}")
            .statusCode()).isEqualTo(200);
    }

    @Test
    void accessFollowsOwnershipRolesBrandsAndScopes() throws Exception {
        byte[] png = TestImages.png(TestImages.picture(8));
        String id = json(upload(aliceToken, GIRLFANZ, "a.png", "image/png", png)).get("id").asText();
        String path = "/v1/assets/" + id;

        assertThat(http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(401);
        assertThat(get(path, tokens.expired(alice, GIRLFANZ, 600, "creator")).statusCode()).isEqualTo(401);
        String fan = tokens.person(UUID.randomUUID().toString(), GIRLFANZ, "fan");
        HttpResponse<String> fanUpload = upload(fan, GIRLFANZ, "f.png", "image/png", png);
        assertThat(fanUpload.statusCode()).isEqualTo(403);
        assertThat(upload(aliceToken, BOYFANZ, "elsewhere.png", "image/png", png).statusCode()).isEqualTo(403);
        assertThat(get(path, fan).statusCode()).isEqualTo(403);
        assertThat(get(path, carolToken).statusCode()).isEqualTo(403);
        assertThat(get(path + "/content", carolToken).statusCode()).isEqualTo(403);

        String boyfanzStaff = tokens.person(UUID.randomUUID().toString(), BOYFANZ, "staff");
        assertThat(problemType(get(path, boyfanzStaff))).isEqualTo("not-found");
        assertThat(get(path, boyfanzStaff).statusCode()).isEqualTo(404);
        assertThat(get(path + "/content", bobToken).statusCode()).isEqualTo(404);
        assertThat(delete(path, boyfanzStaff).statusCode()).isEqualTo(404);
        assertThat(get("/v1/assets?tenant=girlfanz", bobToken).statusCode()).isEqualTo(404);

        String staff = tokens.person(UUID.randomUUID().toString(), GIRLFANZ, "staff");
        assertThat(get(path, staff).statusCode()).isEqualTo(200);
        assertThat(ids(get("/v1/assets?tenant=girlfanz", staff))).containsExactly(id);
        assertThat(ids(get("/v1/assets?tenant=girlfanz", carolToken))).isEmpty();
        assertThat(get("/v1/assets?tenant=girlfanz&creator=" + alice, carolToken).statusCode()).isEqualTo(403);
        assertThat(get("/v1/assets?tenant=girlfanz", fan).statusCode()).isEqualTo(403);

        String reader = tokens.service("content", "media:read");
        assertThat(get(path, reader).statusCode()).isEqualTo(200);
        assertThat(http.send(request(path + "/content", reader).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
            .body()).isEqualTo(png);
        assertThat(ids(get("/v1/assets?tenant=girlfanz", reader))).containsExactly(id);
        assertThat(get(path, tokens.service("content")).statusCode()).isEqualTo(403);
        assertThat(delete(path, reader).statusCode()).isEqualTo(403);

        assertThat(get("/v1/assets/not-a-uuid", aliceToken).statusCode()).isEqualTo(400);
        assertThat(get("/v1/assets/" + UUID.randomUUID(), aliceToken).statusCode()).isEqualTo(404);
        assertThat(problemType(get("/v1/assets", aliceToken))).isEqualTo("invalid-parameter");
        assertThat(get("/v1/assets?tenant=girlfanz&limit=1001", aliceToken).statusCode()).isEqualTo(400);
        assertThat(get("/v1/assets?tenant=girlfanz&cursor=x", aliceToken).statusCode()).isEqualTo(400);
        assertThat(upload(aliceToken, GIRLFANZ, "a/b.png", "image/png", png).statusCode()).isEqualTo(400);
        assertThat(upload(aliceToken, GIRLFANZ, "", "image/png", png).statusCode()).isEqualTo(400);
        assertThat(upload(aliceToken, GIRLFANZ, "empty.png", "image/png", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void deletingKeepsASharedFileUntilItsLastAssetIsGone() throws Exception {
        byte[] png = TestImages.png(TestImages.picture(9));
        String first = json(upload(aliceToken, GIRLFANZ, "a.png", "image/png", png)).get("id").asText();
        String second = json(upload(carolToken, GIRLFANZ, "c.png", "image/png", png)).get("id").asText();
        Path stored = data.resolve("media").resolve(sha256(png).substring(0, 2)).resolve(sha256(png));

        assertThat(delete("/v1/assets/" + first, carolToken).statusCode()).isEqualTo(403);
        assertThat(delete("/v1/assets/" + first, aliceToken).statusCode()).isEqualTo(204);
        assertThat(get("/v1/assets/" + first, aliceToken).statusCode()).isEqualTo(404);
        assertThat(delete("/v1/assets/" + first, aliceToken).statusCode()).isEqualTo(404);
        assertThat(stored).exists();
        HttpResponse<byte[]> content = http.send(request("/v1/assets/" + second + "/content", carolToken).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.body()).isEqualTo(png);
        JsonNode third = json(upload(aliceToken, GIRLFANZ, "again.png", "image/png", png));
        assertThat(third.get("duplicate_of").asText()).as("the oldest live copy").isEqualTo(second);

        String staff = tokens.person(UUID.randomUUID().toString(), GIRLFANZ, "admin");
        assertThat(delete("/v1/assets/" + second, staff).statusCode()).isEqualTo(204);
        assertThat(stored).exists();
        assertThat(delete("/v1/assets/" + third.get("id").asText(), aliceToken).statusCode()).isEqualTo(204);
        assertThat(stored).doesNotExist();
        assertThat(ids(get("/v1/assets?tenant=girlfanz", staff))).isEmpty();

        JsonNode back = json(upload(aliceToken, GIRLFANZ, "back.png", "image/png", png));
        assertThat(back.get("duplicate_of").isNull()).isTrue();
        assertThat(sha256(Files.readAllBytes(stored))).isEqualTo(sha256(png));
    }

    @Test
    void listingsPageInCreationOrder() throws Exception {
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] mp4 = ("\0\0\0\u0018ftypisom clip " + i).getBytes(StandardCharsets.ISO_8859_1);
            uploaded.add(json(upload(aliceToken, GIRLFANZ, "clip" + i + ".mp4", "video/mp4", mp4)).get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(get("/v1/assets?tenant=girlfanz&limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                aliceToken));
            page.get("assets").forEach(asset -> seen.add(asset.get("id").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(uploaded);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void otherBrandsMatchesAreShownToPeopleWithoutTheirIds() throws Exception {
        var original = TestImages.picture(10);
        String alices = json(upload(aliceToken, GIRLFANZ, "original.png", "image/png", TestImages.png(original)))
            .get("id").asText();
        byte[] copy = TestImages.jpeg(TestImages.resized(original, 200, 200), 0.6f);
        JsonNode bobs = json(upload(bobToken, BOYFANZ, "stolen.jpg", "image/jpeg", copy));
        JsonNode carols = json(upload(carolToken, GIRLFANZ, "stolen.jpg", "image/jpeg", copy));
        String bobsId = bobs.get("id").asText();
        String carolsId = carols.get("id").asText();

        JsonNode hidden = bobs.get("similar").get(0);
        assertThat(hidden.get("tenant_hidden").asBoolean()).isTrue();
        assertThat(hidden.has("asset_id")).as("another brand's id").isFalse();
        assertThat(hidden.get("distance").asInt()).isBetween(0, 10);
        assertThat(bobs.toString()).doesNotContain(alices);
        assertThat(carols.get("review").asText()).isEqualTo("possible-reupload");
        assertThat(carols.get("similar").findValuesAsText("asset_id")).as("the same brand's match is shown")
            .contains(alices);
        assertThat(carols.toString()).doesNotContain(bobsId);

        String girlfanzStaff = tokens.person(UUID.randomUUID().toString(), GIRLFANZ, "staff");
        for (String token : List.of(aliceToken, girlfanzStaff)) {
            JsonNode similar = json(get("/v1/assets/" + alices + "/similar", token)).get("similar");
            assertThat(similar.findValuesAsText("asset_id")).containsExactly(carolsId);
            assertThat(similar.findValues("tenant_hidden")).hasSize(1);
            assertThat(similar.toString()).doesNotContain(bobsId);
        }
        assertThat(json(get("/v1/assets?tenant=girlfanz", girlfanzStaff)).toString()).doesNotContain(bobsId);

        String reader = tokens.service("content", "media:read");
        assertThat(json(get("/v1/assets/" + alices + "/similar", reader)).get("similar").findValuesAsText("asset_id"))
            .containsExactlyInAnyOrder(bobsId, carolsId);
        assertThat(json(get("/v1/assets?tenant=girlfanz", reader)).get("assets").get(1).get("similar")
            .findValuesAsText("asset_id")).contains(alices);
        assertThat(json(get("/v1/assets/" + bobsId, reader)).get("similar").findValuesAsText("asset_id"))
            .containsExactly(alices);
    }

    @Test
    void aCreatorsQuotaCountsTheSizesOfTheirLiveAssetsDuplicatesIncluded() throws Exception {
        restart(Map.of("FANZ_MEDIA_QUOTA_BYTES", "5000"));
        byte[] clip = mp4(2048, 1);
        String first = json(upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", clip)).get("id").asText();
        assertThat(upload(aliceToken, GIRLFANZ, "b.mp4", "video/mp4", clip).statusCode()).isEqualTo(201);
        HttpResponse<String> third = upload(aliceToken, GIRLFANZ, "c.mp4", "video/mp4", clip);
        assertThat(third.statusCode()).as("a duplicate still counts").isEqualTo(422);
        assertThat(problemType(third)).isEqualTo("quota-exceeded");
        assertThat(json(third).get("quota_bytes").asLong()).isEqualTo(5000);
        assertThat(json(third).get("used_bytes").asLong()).isEqualTo(4096);
        assertThat(stagedFiles()).isEmpty();
        assertThat(upload(carolToken, GIRLFANZ, "c.mp4", "video/mp4", clip).statusCode()).as("per creator").isEqualTo(201);

        assertThat(delete("/v1/assets/" + first, aliceToken).statusCode()).isEqualTo(204);
        assertThat(upload(aliceToken, GIRLFANZ, "c.mp4", "video/mp4", clip).statusCode()).as("deleted: freed")
            .isEqualTo(201);
        assertThat(upload(aliceToken, GIRLFANZ, "d.mp4", "video/mp4", mp4(900, 2)).statusCode()).isEqualTo(201);
        assertThat(upload(aliceToken, GIRLFANZ, "e.mp4", "video/mp4", mp4(16, 3)).statusCode()).isEqualTo(422);

        HttpResponse<String> streamed = http.send(request("/v1/assets?tenant=girlfanz&filename=s.mp4", carolToken)
            .header("Content-Type", "video/mp4")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(mp4(4000, 4)))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as("no declared length: stopped while streaming").isEqualTo(422);
        assertThat(problemType(streamed)).isEqualTo("quota-exceeded");
        assertThat(stagedFiles()).isEmpty();
        assertThat(storedFiles()).hasSize(2);
    }

    @Test
    void aCreatorsAssetCountIsLimited() throws Exception {
        restart(Map.of("FANZ_MEDIA_MAX_ASSETS", "2"));
        assertThat(upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", mp4(64, 1)).statusCode()).isEqualTo(201);
        String second = json(upload(aliceToken, GIRLFANZ, "b.mp4", "video/mp4", mp4(64, 2))).get("id").asText();
        HttpResponse<String> third = upload(aliceToken, GIRLFANZ, "c.mp4", "video/mp4", mp4(64, 3));
        assertThat(third.statusCode()).isEqualTo(422);
        assertThat(problemType(third)).isEqualTo("quota-exceeded");
        assertThat(json(third).get("max_assets").asLong()).isEqualTo(2);
        assertThat(delete("/v1/assets/" + second, aliceToken).statusCode()).isEqualTo(204);
        assertThat(upload(aliceToken, GIRLFANZ, "c.mp4", "video/mp4", mp4(64, 3)).statusCode()).isEqualTo(201);
    }

    @Test
    void theQuotaIsCheckedAgainWhenTheUploadIsRecorded() throws Exception {
        restart(Map.of("FANZ_MEDIA_QUOTA_BYTES", "3000"));
        try (MediaService other = MediaService.start(new PlatformSettings(settings));
             StalledUpload stalled = new StalledUpload(aliceToken, GIRLFANZ, mp4(2048, 1))) {
            awaitStaged(1);
            HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + other.port() + "/v1/assets?tenant=girlfanz&filename=b.mp4"))
                .header("Authorization", "Bearer " + aliceToken).header("Content-Type", "video/mp4")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mp4(2048, 2))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(201);
            String first = stalled.finish();
            assertThat(first).startsWith("HTTP/1.1 422 ").contains("/problems/quota-exceeded");
        }
        assertThat(stagedFiles()).isEmpty();
        assertThat(storedFiles()).hasSize(1);
    }

    @Test
    void uploadsAreOneAtATimePerCreatorAndFewAtATimeInTheService() throws Exception {
        restart(Map.of("FANZ_MEDIA_MAX_CONCURRENT_UPLOADS", "2"));
        try (StalledUpload alices = new StalledUpload(aliceToken, GIRLFANZ, mp4(4096, 1))) {
            awaitStaged(1);
            HttpResponse<String> again = upload(aliceToken, GIRLFANZ, "b.mp4", "video/mp4", mp4(64, 2));
            assertThat(again.statusCode()).isEqualTo(429);
            assertThat(problemType(again)).isEqualTo("too-many-uploads");
            assertThat(again.headers().firstValue("Retry-After")).hasValue("5");

            try (StalledUpload carols = new StalledUpload(carolToken, GIRLFANZ, mp4(4096, 3))) {
                awaitStaged(2);
                HttpResponse<String> full = upload(bobToken, BOYFANZ, "b.mp4", "video/mp4", mp4(64, 4));
                assertThat(full.statusCode()).as("two in flight, the service's cap").isEqualTo(429);
                assertThat(problemType(full)).isEqualTo("too-many-uploads");
                assertThat(full.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(alices.finish()).startsWith("HTTP/1.1 201 ");
                assertThat(carols.finish()).startsWith("HTTP/1.1 201 ");
            }
        }
        assertThat(upload(bobToken, BOYFANZ, "b.mp4", "video/mp4", mp4(64, 4)).statusCode()).isEqualTo(201);
        assertThat(upload(aliceToken, GIRLFANZ, "b.mp4", "video/mp4", mp4(64, 2)).statusCode()).isEqualTo(201);
    }

    @Test
    void anUploadThatWouldLeaveTooLittleFreeSpaceIs507() throws Exception {
        restart(Map.of("FANZ_MEDIA_MIN_FREE_BYTES", Long.toString(1L << 60)));
        HttpResponse<String> refused = upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", mp4(64, 1));
        assertThat(refused.statusCode()).isEqualTo(507);
        assertThat(problemType(refused)).isEqualTo("insufficient-storage");
        assertThat(stagedFiles()).isEmpty();
        assertThat(storedFiles()).isEmpty();

        restart(Map.of("FANZ_MEDIA_MIN_FREE_BYTES", "0"));
        assertThat(upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", mp4(64, 1)).statusCode()).isEqualTo(201);
    }

    @Test
    void aClientThatGoesAwayMidUploadIs400NotAFailureAndGivesItsSlotBack() throws Exception {
        byte[] body = mp4(8192, 1);
        try (Socket socket = new Socket("127.0.0.1", media.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(uploadHead(aliceToken, GIRLFANZ, "Content-Length: " + body.length));
            out.write(body, 0, body.length / 2);
            out.flush();
            awaitStaged(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (uploadStatuses().isEmpty()) {
            assertThat(System.nanoTime()).as("the broken upload answered in time").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(uploadStatuses()).as("no internal error (logged with its stack) for a client gone").containsExactly("400");
        assertThat(stagedFiles()).isEmpty();
        assertThat(upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", body).statusCode()).isEqualTo(201);
    }

    @Test
    void uploadsDribblingUnderTheMinimumRateAre408AndGiveTheirSlotsBack() throws Exception {
        restart(Map.of("FANZ_MEDIA_MAX_CONCURRENT_UPLOADS", "2", "FANZ_MEDIA_UPLOAD_GRACE_SECONDS", "1"));
        try (Socket alices = dribbling(aliceToken, GIRLFANZ); Socket carols = dribbling(carolToken, GIRLFANZ)) {
            awaitStaged(2);
            assertThat(upload(bobToken, BOYFANZ, "b.mp4", "video/mp4", mp4(64, 4)).statusCode())
                .as("both slots held").isEqualTo(429);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (alices.getInputStream().available() == 0 || carols.getInputStream().available() == 0) {
                assertThat(System.nanoTime()).as("the slow uploads cut off in time").isLessThan(deadline);
                for (Socket socket : List.of(alices, carols)) {
                    if (socket.getInputStream().available() == 0) {
                        dribble(socket);
                    }
                }
                Thread.sleep(50);
            }
            for (Socket socket : List.of(alices, carols)) {
                String answer = new String(socket.getInputStream().readNBytes(socket.getInputStream().available()),
                    StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 408 ").contains("upload-too-slow");
            }
        }
        assertThat(stagedFiles()).isEmpty();
        assertThat(upload(bobToken, BOYFANZ, "b.mp4", "video/mp4", mp4(64, 4)).statusCode()).isEqualTo(201);
        assertThat(upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", mp4(64, 2)).statusCode()).isEqualTo(201);
    }

    /** An upload of a declared 1 MiB over a plain socket that has sent its headers and first byte. */
    private Socket dribbling(String token, String tenant) throws IOException {
        Socket socket = new Socket("127.0.0.1", media.port());
        socket.getOutputStream().write(uploadHead(token, tenant, "Content-Length: " + (1 << 20)));
        socket.getOutputStream().write(0);
        return socket;
    }

    /** Sends one more byte (none when the service has closed the connection since its answer was looked for). */
    private static void dribble(Socket socket) {
        try {
            socket.getOutputStream().write('x');
        } catch (IOException closed) {
            // the service has answered and closed since: the loop reads its answer next
        }
    }

    private static byte[] uploadHead(String token, String tenant, String framing) {
        return ("POST /v1/assets?tenant=" + tenant + "&filename=raw.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + token + "\r\nContent-Type: video/mp4\r\n" + framing + "\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The statuses answered to uploads so far, from the service's request metrics. */
    private List<String> uploadStatuses() {
        return media.app().metrics().find("fanz.platform.http.requests").tag("method", "POST")
            .tag("route", "/v1/assets").timers().stream().map(timer -> timer.getId().getTag("status")).toList();
    }

    @Test
    void everyRouteRefusesQueryParametersItDoesNotTake() throws Exception {
        String id = json(upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", mp4(64, 1))).get("id").asText();
        String asset = "/v1/assets/" + id;
        assertUnknown(get("/v1/assets?tenant=girlfanz&limt=5", aliceToken), "?limt");
        assertUnknown(get(asset + "?expand=all", aliceToken), "?expand");
        assertUnknown(get(asset + "/content?download=1", aliceToken), "?download");
        assertUnknown(get(asset + "/similar?limit=5", aliceToken), "?limit");
        assertUnknown(put(asset + "/links?force=1", aliceToken, "{\"content_refs\":[],\"performer_record_ids\":[]}"),
            "?force");
        assertUnknown(delete(asset + "?hard=true", aliceToken), "?hard");
        assertUnknown(http.send(request("/v1/assets?tenant=girlfanz&filename=b.mp4&public=1", aliceToken)
            .header("Content-Type", "video/mp4").POST(HttpRequest.BodyPublishers.ofByteArray(mp4(64, 2))).build(),
            HttpResponse.BodyHandlers.ofString()), "?public");
        assertThat(ids(get("/v1/assets?tenant=girlfanz&limit=5", aliceToken))).containsExactly(id);
    }

    @Test
    void aContentReferenceKindIsAtMostFifteenLetters() throws Exception {
        String id = json(upload(aliceToken, GIRLFANZ, "a.mp4", "video/mp4", mp4(64, 1))).get("id").asText();
        String longest = "abcdefghijklmno:" + "x".repeat(64);
        HttpResponse<String> fits = put("/v1/assets/" + id + "/links", aliceToken,
            "{\"content_refs\":[\"" + longest + "\"],\"performer_record_ids\":[]}");
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
        assertThat(ids(get("/v1/assets?tenant=girlfanz&content_ref=" + longest, aliceToken))).containsExactly(id);
        assertInvalid(id, "{\"content_refs\":[\"abcdefghijklmnop:1\"],\"performer_record_ids\":[]}", "/content_refs/0");
        assertInvalid(id, "{\"content_refs\":[\"" + "a".repeat(200) + ":1\"],\"performer_record_ids\":[]}",
            "/content_refs/0");
        HttpResponse<String> listed = get("/v1/assets?tenant=girlfanz&content_ref=" + "a".repeat(200) + ":1", aliceToken);
        assertThat(listed.statusCode()).isEqualTo(400);
        assertThat(problemType(listed)).isEqualTo("invalid-parameter");
    }

    private void assertUnknown(HttpResponse<String> response, String pointer) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(problemType(response)).isEqualTo("unknown-parameter");
        assertThat(json(response).get("pointer").asText()).isEqualTo(pointer);
    }

    /** An MP4-looking body of {@code size} bytes, different for each {@code seed}. */
    private static byte[] mp4(int size, int seed) {
        byte[] body = new byte[size];
        new Random(seed).nextBytes(body);
        System.arraycopy(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, body, 0, 12);
        return body;
    }

    /**
     * An upload over a plain socket (chunked, no declared length) that sends its headers and first KiB at once
     * and the rest only on {@link #finish}, so that it holds its upload slot in between.
     */
    private final class StalledUpload implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final byte[] body;

        StalledUpload(String token, String tenant, byte[] body) throws IOException {
            this.body = body;
            this.socket = new Socket("127.0.0.1", media.port());
            socket.setSoTimeout(30_000);
            this.out = socket.getOutputStream();
            out.write(("POST /v1/assets?tenant=" + tenant + "&filename=stalled.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nContent-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            chunk(0, 1024);
            out.flush();
        }

        /** Sends the rest and answers the whole response (status line, headers, body). */
        String finish() throws IOException {
            chunk(1024, body.length);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        private void chunk(int from, int to) throws IOException {
            out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, from, to - from);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Waits (at most 10 s) until {@code count} uploads are being staged: they hold their slots. */
    private void awaitStaged(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stagedFiles().size() < count) {
            assertThat(System.nanoTime()).as("uploads staged in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private void assertInvalid(String id, String body, String pointer) throws Exception {
        HttpResponse<String> response = put("/v1/assets/" + id + "/links", aliceToken, body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(json(response).get("pointer").asText()).as(body).isEqualTo(pointer);
    }

    private List<String> ids(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).get("assets").forEach(asset -> ids.add(asset.get("id").asText()));
        return ids;
    }

    private List<Path> storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(data.resolve("media"))) {
            return files.filter(Files::isRegularFile).filter(file -> !file.startsWith(data.resolve("media").resolve("tmp")))
                .toList();
        }
    }

    private List<Path> stagedFiles() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("media").resolve("tmp"))) {
            return files.toList();
        }
    }

    private HttpResponse<String> upload(String token, String tenant, String filename, String contentType, byte[] body)
        throws Exception {
        return http.send(request("/v1/assets?tenant=" + tenant + "&filename="
                + java.net.URLEncoder.encode(filename, StandardCharsets.UTF_8), token)
            .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String token, String body) throws Exception {
        return http.send(request(path, token).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path, String token) throws Exception {
        return http.send(request(path, token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + media.port() + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    private static String problemType(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return json(response).get("type").asText().replace("https://fanzfinance.dev/problems/", "");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
