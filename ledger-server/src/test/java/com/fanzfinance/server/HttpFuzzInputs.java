package com.fanzfinance.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Random and mutated request parts for {@link HttpFuzzEndToEndTest}: JSON bodies (valid skeletons mutated in
 * their structure, then in their text and bytes), binary records, query strings, paths and header values. Every
 * choice comes from one seeded {@link Random} and never from the server's answers, so a seed replays a run.
 */
final class HttpFuzzInputs {
    static final String[] ACCOUNT_FLAGS = {"linked", "debits_must_not_exceed_credits", "credits_must_not_exceed_debits",
        "history", "imported", "closed"};
    static final String[] TRANSFER_FLAGS = {"linked", "pending", "post_pending_transfer", "void_pending_transfer",
        "balancing_debit", "balancing_credit", "closing_debit", "closing_credit", "imported"};
    static final String[] FIELD_NAMES = {"id", "ledger", "code", "flags", "amount", "debit_account_id",
        "credit_account_id", "pending_id", "user_data_128", "user_data_64", "user_data_32", "timeout", "timestamp",
        "tenant", "metadata", "debits_pending", "debits_posted", "credits_pending", "credits_posted", "postings",
        "account_id", "debit", "credit", "pending", "accounts", "transfers", "entries"};
    /** A marker string the text stage replaces with deeply nested arrays (too deep to build as a tree). */
    private static final Pattern NEST_MARKER = Pattern.compile("\"@@nest:(\\d+)@@\"");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;

    HttpFuzzInputs(Random random) {
        this.random = random;
    }

    // ---- primitives ---------------------------------------------------------------------------------

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** A number in {@code low..high}, inclusive. */
    int between(int low, int high) {
        return (int) (low + Math.floorMod(random.nextLong(), (long) high - low + 1));
    }

    String pick(String... items) {
        return items[random.nextInt(items.length)];
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    long nextLong() {
        return random.nextLong();
    }

    /** A new id no other request uses (a fixed high prefix, 96 random bits). */
    String freshId() {
        return new UUID(0xF022_0000_0000_0000L | (random.nextLong() >>> 16), random.nextLong()).toString();
    }

    // ---- weird values -------------------------------------------------------------------------------

    static final String[] BOUNDARY_NUMBERS = {"0", "1", "2", "65535", "65536", "2147483647", "2147483648",
        "4294967295", "4294967296", "9223372036854775806", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "-1", "-9223372036854775808", "-0", "00", "007"};

    String weirdUuid(List<String> known) {
        String valid = freshId();
        return switch (random.nextInt(20)) {
            case 0 -> valid.toUpperCase(Locale.ROOT);
            case 1 -> valid.replace("-", "");
            case 2 -> "{" + valid + "}";
            case 3 -> "urn:uuid:" + valid;
            case 4 -> valid.substring(0, between(0, 35));
            case 5 -> valid + pick("0", "-", " ", "\u0000", "0000");
            case 6 -> "+" + valid.substring(1);
            case 7 -> "00000000-0000-0000-0000-000000000000";
            case 8 -> "ffffffff-ffff-ffff-ffff-ffffffffffff";
            case 9 -> valid.replace('0', '\u0660').replace('1', '\u0661');
            case 10 -> " " + valid;
            case 11 -> valid.substring(0, 9) + "g" + valid.substring(10);
            case 12 -> "";
            case 13 -> valid.replace("-", "_");
            case 14 -> known.isEmpty() ? valid : pick(known);
            case 15 -> valid.substring(0, 8) + "--" + valid.substring(9);
            case 16 -> "0x" + valid.replace("-", "");
            case 17 -> "1234";
            case 18 -> valid.replace('a', 'A');
            default -> valid;
        };
    }

    String weirdString() {
        return switch (random.nextInt(16)) {
            case 0 -> "\u0000";
            case 1 -> "\ud800";
            case 2 -> "\udfff\ud800";
            case 3 -> "\uD83D\uDE00 emoji";
            case 4 -> "\u202Eright-to-left";
            case 5 -> "\u2028\u2029";
            case 6 -> "' OR 1=1 --";
            case 7 -> "../../../etc/passwd";
            case 8 -> "%s%n%x";
            case 9 -> "${jndi:ldap://127.0.0.1/x}";
            case 10 -> "<script>alert(1)</script>";
            case 11 -> "x".repeat(pick(new int[] {64, 4095, 4096, 4097, 70_000}));
            case 12 -> "\t\r\n\b\f";
            case 13 -> "ÿ".repeat(between(1, 3000));
            case 14 -> "\\u0000";
            default -> "fuzz-" + Long.toHexString(random.nextLong());
        };
    }

    private int pick(int[] items) {
        return items[random.nextInt(items.length)];
    }

    JsonNode weirdValue(List<String> known) {
        return switch (random.nextInt(17)) {
            case 0 -> NODES.textNode(weirdUuid(known));
            case 1 -> NODES.numberNode(BigInteger.TWO.pow(between(15, 140)).add(BigInteger.valueOf(between(-2, 2))));
            case 2 -> NODES.numberNode(-1L - (random.nextLong() >>> between(1, 62)));
            case 3 -> NODES.numberNode(new double[] {1.5, 1e300, -0.0, 1e-300, 0.1, 2.0, 4.9e-324}[random.nextInt(7)]);
            case 4 -> NODES.numberNode(new BigDecimal("1e" + between(-400, 400)));
            case 5 -> NODES.booleanNode(random.nextBoolean());
            case 6 -> NODES.nullNode();
            case 7 -> random.nextBoolean() ? NODES.arrayNode() : NODES.objectNode();
            case 8 -> NODES.textNode("@@nest:" + pick(new int[] {2, 63, 64, 65, 200, 1500, 20_000}) + "@@");
            case 9 -> NODES.textNode(weirdString());
            case 10 -> NODES.textNode(pick(BOUNDARY_NUMBERS));
            case 11 -> NODES.numberNode(new BigInteger(pick(BOUNDARY_NUMBERS)));
            case 12 -> NODES.numberNode(between(0, 3));
            case 13 -> flagArray(random.nextBoolean() ? ACCOUNT_FLAGS : TRANSFER_FLAGS, true);
            case 14 -> junkObject(between(0, 3));
            case 15 -> NODES.textNode(" " + between(0, 100) + " ");
            default -> NODES.textNode(pick("1e3", "1.0", "0x10", "1_000", "+5", "-5", "", "NaN", "Infinity", "true"));
        };
    }

    ArrayNode flagArray(String[] names, boolean junk) {
        ArrayNode flags = NODES.arrayNode();
        int count = between(0, 3);
        for (int i = 0; i < count; i++) {
            if (junk && chance(0.3)) {
                flags.add(pick("LINKED", "turbo", "", "linked ", "pending,linked", "0"));
            } else if (junk && chance(0.1)) {
                flags.add(between(0, 512));
            } else {
                flags.add(names[random.nextInt(names.length)]);
            }
        }
        return flags;
    }

    ObjectNode junkObject(int depth) {
        ObjectNode object = NODES.objectNode();
        int fields = between(0, 4);
        for (int i = 0; i < fields; i++) {
            String name = chance(0.2) ? weirdString() : "k" + i;
            if (depth > 0 && chance(0.3)) {
                object.set(name, junkObject(depth - 1));
            } else {
                object.set(name, chance(0.5) ? NODES.textNode("v" + random.nextInt(1000)) : NODES.numberNode(random.nextInt()));
            }
        }
        return object;
    }

    String weirdFieldName() {
        return switch (random.nextInt(10)) {
            case 0 -> "ammount";
            case 1 -> "ID";
            case 2 -> "id ";
            case 3 -> "";
            case 4 -> "__proto__";
            case 5 -> "x".repeat(between(100, 5000));
            case 6 -> "dry_run";
            case 7 -> weirdString();
            case 8 -> FIELD_NAMES[random.nextInt(FIELD_NAMES.length)];
            default -> "unknown_" + random.nextInt(100);
        };
    }

    // ---- JSON mutation --------------------------------------------------------------------------------

    /** A place in a tree: an object's field or an array's element. */
    private record Slot(JsonNode container, String field, int index) {
        JsonNode get() {
            return field != null ? container.get(field) : container.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) container).set(field, value);
            } else {
                ((ArrayNode) container).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) container).remove(field);
            } else {
                ((ArrayNode) container).remove(index);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots, List<JsonNode> containers) {
        if (node.isObject()) {
            containers.add(node);
            for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                String name = names.next();
                slots.add(new Slot(node, name, -1));
                collect(node.get(name), slots, containers);
            }
        } else if (node.isArray()) {
            containers.add(node);
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots, containers);
            }
        }
    }

    /** Applies 1–3 structural mutations to {@code root} (in place, or returns a new root). */
    JsonNode mutateTree(JsonNode root, List<String> known) {
        int mutations = between(1, 3);
        for (int m = 0; m < mutations; m++) {
            List<Slot> slots = new ArrayList<>();
            List<JsonNode> containers = new ArrayList<>();
            collect(root, slots, containers);
            int op = random.nextInt(12);
            if (slots.isEmpty() || op == 11) {
                root = mutateRoot(root, known);
                continue;
            }
            Slot slot = slots.get(random.nextInt(slots.size()));
            switch (op) {
                case 0, 1, 2 -> slot.set(weirdValue(known));
                case 3 -> slot.remove();
                case 4 -> {
                    JsonNode container = pick(containers);
                    if (container.isObject()) {
                        ((ObjectNode) container).set(weirdFieldName(), weirdValue(known));
                    } else {
                        ((ArrayNode) container).add(weirdValue(known));
                    }
                }
                case 5 -> {
                    JsonNode container = pick(containers);
                    if (container.isArray() && !container.isEmpty()) {
                        ArrayNode array = (ArrayNode) container;
                        array.add(array.get(random.nextInt(array.size())).deepCopy());
                    }
                }
                case 6 -> {
                    Slot other = slots.get(random.nextInt(slots.size()));
                    JsonNode a = slot.get();
                    JsonNode b = other.get();
                    if (a != null && b != null && !isAncestor(a, b) && !isAncestor(b, a)) {
                        slot.set(b.deepCopy());
                        other.set(a.deepCopy());
                    }
                }
                case 7 -> {
                    JsonNode value = slot.get();
                    if (value != null && (value.isNumber() || value.isTextual())) {
                        String number = pick(BOUNDARY_NUMBERS);
                        slot.set(chance(0.5) ? NODES.textNode(number) : NODES.numberNode(new BigInteger(number)));
                    } else {
                        slot.set(weirdValue(known));
                    }
                }
                case 8 -> slot.set(NODES.textNode(weirdUuid(known)));
                case 9 -> slot.set(flagArray(random.nextBoolean() ? ACCOUNT_FLAGS : TRANSFER_FLAGS, chance(0.3)));
                default -> {
                    JsonNode container = pick(containers);
                    if (container.isArray() && !container.isEmpty()) {
                        ArrayNode array = (ArrayNode) container;
                        int copies = chance(0.05) ? between(500, 9000) : between(2, 40);
                        JsonNode element = array.get(random.nextInt(array.size()));
                        for (int i = 0; i < copies; i++) {
                            array.add(element);
                        }
                    }
                }
            }
        }
        return root;
    }

    private static boolean isAncestor(JsonNode ancestor, JsonNode node) {
        if (ancestor == node) {
            return true;
        }
        for (JsonNode child : ancestor) {
            if (isAncestor(child, node)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode mutateRoot(JsonNode root, List<String> known) {
        switch (random.nextInt(6)) {
            case 0 -> {
                if (root.isObject() && root.size() > 0) {
                    ObjectNode renamed = NODES.objectNode();
                    JsonNode value = root.elements().next();
                    renamed.set(pick("accounts", "transfers", "entries", "Accounts", "results", "", "accounts "), value);
                    return renamed;
                }
                return root;
            }
            case 1 -> {
                return NODES.arrayNode().add(root);
            }
            case 2 -> {
                if (root.isObject()) {
                    ((ObjectNode) root).set(weirdFieldName(), weirdValue(known));
                }
                return root;
            }
            case 3 -> {
                return weirdValue(known);
            }
            case 4 -> {
                if (root.isObject() && root.size() > 0) {
                    ObjectNode object = (ObjectNode) root;
                    object.set(object.fieldNames().next(), weirdValue(known));
                }
                return root;
            }
            default -> {
                return NODES.objectNode();
            }
        }
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree as text with the nesting markers expanded. */
    static String render(JsonNode node) {
        String text = write(node);
        Matcher marker = NEST_MARKER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (marker.find()) {
            int depth = Integer.parseInt(marker.group(1));
            marker.appendReplacement(out, "[".repeat(depth) + "1" + "]".repeat(depth));
        }
        marker.appendTail(out);
        return out.toString();
    }

    /** Text mutations: truncation, insertions, duplicate keys, comments, trailing content. */
    String mutateText(String text) {
        int mutations = between(1, 2);
        for (int m = 0; m < mutations; m++) {
            int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
            text = switch (random.nextInt(13)) {
                case 0 -> text.substring(0, at);
                case 1 -> text.substring(0, at) + pick("{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\u0000", "ẞ",
                    "\ud800", "\\u", "\\uZZZZ", "\n") + text.substring(at);
                case 2 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + between(1, 12)));
                case 3 -> duplicateKey(text);
                case 4 -> text + pick(" {}", ",", "]", "}", "\u0000", "x", " ", "\n\n", "[]", " null");
                case 5 -> pick("\uFEFF", "   ", "// comment\n", ")]}'\n", "\u0000", "[") + text;
                case 6 -> replaceOne(text, "\"", "'");
                case 7 -> replaceOne(text, ",", ",/*c*/");
                case 8 -> replaceOne(text, "]", ",]");
                case 9 -> replaceNumber(text);
                case 10 -> replaceOne(text, ",", "," + " ".repeat(between(1000, 60_000)));
                case 11 -> replaceOne(text, ":", pick("=", "::", ": :", " : "));
                default -> text.substring(0, at) + "\\" + text.substring(at);
            };
        }
        return text;
    }

    private String duplicateKey(String text) {
        int brace = text.indexOf('{', random.nextInt(Math.max(1, text.length())));
        if (brace < 0) {
            brace = text.indexOf('{');
        }
        if (brace < 0) {
            return text;
        }
        String field = FIELD_NAMES[random.nextInt(FIELD_NAMES.length)];
        String value = pick("1", "\"" + freshId() + "\"", "[]", "null", "\"1\"");
        return text.substring(0, brace + 1) + "\"" + field + "\":" + value + "," + text.substring(brace + 1);
    }

    private String replaceOne(String text, String what, String with) {
        List<Integer> places = new ArrayList<>();
        for (int i = text.indexOf(what); i >= 0 && places.size() < 500; i = text.indexOf(what, i + 1)) {
            places.add(i);
        }
        if (places.isEmpty()) {
            return text;
        }
        int at = pick(places);
        return text.substring(0, at) + with + text.substring(at + what.length());
    }

    private String replaceNumber(String text) {
        Matcher number = Pattern.compile(":(-?[0-9]+)").matcher(text);
        List<int[]> places = new ArrayList<>();
        while (number.find() && places.size() < 500) {
            places.add(new int[] {number.start(1), number.end(1)});
        }
        if (places.isEmpty()) {
            return text;
        }
        int[] place = places.get(random.nextInt(places.size()));
        return text.substring(0, place[0]) + pick("NaN", "Infinity", "-Infinity", "0x1F", "01", "1.", ".5", "1e",
            "-", "9".repeat(between(20, 6000)), "1." + "0".repeat(between(10, 6000)), "1e999999999", "+1")
            + text.substring(place[1]);
    }

    /** Byte-level mutations of an encoded body: bit flips, invalid UTF-8, other encodings, gzip, random bytes. */
    byte[] mutateBytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(8)) {
            case 0 -> {
                if (bytes.length > 0) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            }
            case 1 -> {
                byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF},
                    {(byte) 0xF5, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}};
                int at = random.nextInt(bytes.length + 1);
                byte[] insert = invalid[random.nextInt(invalid.length)];
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, at);
                out.write(insert, 0, insert.length);
                out.write(bytes, at, bytes.length - at);
                return out.toByteArray();
            }
            case 2 -> {
                Charset charset = Charset.forName(pick("UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32BE", "UTF-32LE", "ISO-8859-1"));
                return text.getBytes(charset);
            }
            case 3 -> {
                return gzip(bytes);
            }
            case 4 -> {
                return randomBytes(between(0, 3000));
            }
            case 5 -> {
                return new byte[0];
            }
            case 6 -> {
                return bytes.length == 0 ? bytes : java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            default -> {
                for (int i = 0; i < bytes.length; i++) {
                    if (random.nextInt(50) == 0) {
                        bytes[i] = (byte) random.nextInt(256);
                    }
                }
                return bytes;
            }
        }
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- binary records --------------------------------------------------------------------------------

    static void putId(ByteBuffer records, int offset, String uuid) {
        UUID id = UUID.fromString(uuid);
        records.putLong(offset, id.getLeastSignificantBits()).putLong(offset + 8, id.getMostSignificantBits());
    }

    /** The id of the record at {@code offset}, as a UUID string. */
    static String idAt(byte[] body, int offset) {
        ByteBuffer records = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        return new UUID(records.getLong(offset + 8), records.getLong(offset)).toString();
    }

    /** Binary mutations: bit flips, random fields, random records, wrong lengths, duplicates. */
    byte[] mutateBinary(byte[] body) {
        int mutations = between(1, 3);
        for (int m = 0; m < mutations; m++) {
            int records = body.length / 128;
            switch (random.nextInt(9)) {
                case 0 -> {
                    if (body.length > 0) {
                        body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1, 2 -> {
                    if (records > 0) {
                        ByteBuffer buffer = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
                        int field = random.nextInt(16) * 8;
                        buffer.putLong(random.nextInt(records) * 128 + field, chance(0.5) ? random.nextLong()
                            : new BigInteger(pick(BOUNDARY_NUMBERS)).longValue());
                    }
                }
                case 3 -> {
                    if (records > 0) {
                        byte[] junk = randomBytes(128);
                        System.arraycopy(junk, 0, body, random.nextInt(records) * 128, 128);
                    }
                }
                case 4 -> body = java.util.Arrays.copyOf(body, Math.max(0, body.length + between(-127, 127)));
                case 5 -> {
                    if (records > 0) {
                        int copy = random.nextInt(records);
                        byte[] longer = java.util.Arrays.copyOf(body, body.length + 128);
                        System.arraycopy(body, copy * 128, longer, body.length, 128);
                        body = longer;
                    }
                }
                case 6 -> body = new byte[0];
                case 7 -> {
                    if (records > 0) {
                        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).putShort(random.nextInt(records) * 128 + 118,
                            (short) random.nextInt(1 << 16));
                    }
                }
                default -> body = randomBytes(128 * between(1, 4));
            }
        }
        return body;
    }

    // ---- query strings, paths and headers ---------------------------------------------------------------

    String queryValue(List<String> known) {
        return switch (random.nextInt(14)) {
            case 0, 1 -> pick(BOUNDARY_NUMBERS);
            case 2 -> pick("true", "false", "TRUE", "1", "yes", "");
            case 3 -> weirdUuid(known);
            case 4 -> pick("2026-11-01", "2026-13-45", "2026-02-30", "+999999999-12-31", "-0001-01-01", "0000-00-00",
                "1970-01-01T00:00:00Z", "2026-11-01T25:00:00Z", "2026-11-01T00:00:00+99:00", "P1D", "now", "2026-11-01T",
                "99999-01-01", "2026-1-1");
            case 5 -> pick("json", "csv", "hledger", "xml", "CSV", "", "json;csv");
            case 6 -> pick("fuzz-a", "fuzz-b", "nope", "Fuzz-A", "", "a".repeat(33), "house", "-");
            case 7 -> pick("USD", "usd", "XXX", "", "US", "EURO");
            case 8 -> "9".repeat(between(20, 3000));
            case 9 -> weirdString();
            case 10 -> Long.toUnsignedString(random.nextLong());
            case 11 -> Integer.toString(between(1, 200));
            case 12 -> pick("verotel", "ccbill", "segpay", "nope", "");
            default -> pick("sale,refund", "*", ",", "account.created", "a,b,c,d");
        };
    }

    /** A query string (without {@code ?}) over {@code names} plus junk; {@code encode} false leaves raw characters. */
    String query(List<String> names, List<String> known, boolean encode) {
        if (chance(0.08)) {
            return pick("&&&", "=", "a==b", "%zz", "%", "limit", "?", "&=&", "limit=1&", "=1", "%00=1", "limit%3D1",
                "a[]=1&a[]=2", "limit=1;reversed=true");
        }
        int count = between(0, 5);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = chance(0.85) ? pick(names) : weirdFieldName();
            String value = queryValue(known);
            if (encode) {
                parts.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            } else {
                parts.add(name + "=" + value);
            }
            if (chance(0.05)) {
                parts.add(parts.get(parts.size() - 1));
            }
        }
        return String.join("&", parts);
    }

    String weirdPathSegment(List<String> known) {
        return switch (random.nextInt(10)) {
            case 0 -> weirdUuid(known);
            case 1 -> "..";
            case 2 -> "%2e%2e";
            case 3 -> "%2F";
            case 4 -> "";
            case 5 -> "x".repeat(between(100, 9000));
            case 6 -> "%00";
            case 7 -> "%zz";
            case 8 -> URLEncoder.encode(weirdString(), StandardCharsets.UTF_8);
            default -> known.isEmpty() ? freshId() : pick(known);
        };
    }

    String contentType() {
        return pick("application/json", "application/json; charset=utf-8", "Application/JSON", "application/jsonx",
            "text/json", "application/octet-stream", "application/octet-stream; x=1", "text/plain", "",
            "application/json; charset=utf-16", "application/json; charset=\"", "application/json;;;", ";",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "application/*",
            "application/json, application/octet-stream", "application/problem+json", "application/json-patch+json",
            "application/json\t", " application/json ");
    }

    String authorization(String validKey) {
        return switch (random.nextInt(14)) {
            case 0 -> "Bearer";
            case 1 -> "Bearer ";
            case 2 -> "bearer " + validKey;
            case 3 -> "Bearer  " + validKey;
            case 4 -> "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + validKey).getBytes(StandardCharsets.UTF_8));
            case 5 -> "Bearer fzk_" + Long.toHexString(random.nextLong());
            case 6 -> "Bearer " + validKey + "x";
            case 7 -> "Bearer " + validKey.substring(0, validKey.length() - 1);
            case 8 -> "Bearer " + "A".repeat(between(200, 6000));
            case 9 -> "Bearer " + validKey + ", Bearer " + validKey;
            case 10 -> "Token " + validKey;
            case 11 -> "Bearer key_" + Long.toHexString(random.nextLong());
            case 12 -> "Bearer " + validKey.toUpperCase(Locale.ROOT);
            default -> "";
        };
    }

    String tenantHeader() {
        return pick("fuzz-a", "fuzz-b", "fuzz-c", "nope", "", "Fuzz-A", "a".repeat(33), "fuzz-a,fuzz-b", "-", "0",
            "fuzz_a", " fuzz-a");
    }

    /** A random extra header (name, value) a well-behaved client could send. */
    String[] extraHeader() {
        return switch (random.nextInt(12)) {
            case 0 -> new String[] {"X-Request-Id", pick("abc", "", "x".repeat(129), "a b", "<>", "ok.id:1-2_3", "é")};
            case 1 -> new String[] {"Accept", pick("application/xml", "*/*", "text/csv", "application/octet-stream", "")};
            case 2 -> new String[] {"Accept-Encoding", pick("gzip", "br", "deflate", "identity;q=0", "*")};
            case 3 -> new String[] {"Content-Encoding", pick("gzip", "deflate", "br", "identity", "x-junk")};
            case 4 -> new String[] {"Idempotency-Key", pick("k1", "", "x".repeat(65), "a b", "\t", "é")};
            case 5 -> new String[] {"X-Forwarded-For", pick("1.2.3.4", "junk", "::1, 10.0.0.1", "", "999.999.999.999")};
            case 6 -> new String[] {"Forwarded", pick("for=1.2.3.4", "for=\"[::1]\"", "junk;;;")};
            case 7 -> new String[] {"X-Tenant", tenantHeader()};
            case 8 -> new String[] {"Range", pick("bytes=0-1", "bytes=-1", "junk")};
            case 9 -> new String[] {"If-None-Match", "\"x\""};
            case 10 -> new String[] {"Cookie", "a=" + "b".repeat(between(1, 3000))};
            default -> new String[] {"X-Fuzz-" + random.nextInt(100), weirdStringAscii()};
        };
    }

    String weirdStringAscii() {
        return pick("", " ", "x".repeat(between(1, 5000)), "a\tb", "%00", "\"", "\\", "{}", "null");
    }
}
