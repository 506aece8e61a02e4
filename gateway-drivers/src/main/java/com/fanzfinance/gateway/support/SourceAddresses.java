package com.fanzfinance.gateway.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** CIDR ranges (IPv4 and IPv6) and the check whether an address lies in one of them. */
public final class SourceAddresses {

    /** Dotted-quad IPv4 (no short forms such as {@code 10.1}). */
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** IPv6 text: hex groups and colons (with an optional trailing dotted quad); a colon makes it never a host name. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    private SourceAddresses() {
    }

    /** One range, e.g. {@code 64.38.212.0/24}, {@code 2001:db8::/32} or a single address. */
    public record Cidr(byte[] network, int prefix, String text) {

        public boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < bytes.length && bits > 0; i++) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((bytes[i] & mask) != (network[i] & mask)) {
                    return false;
                }
                bits -= 8;
            }
            return true;
        }
    }

    /** Parses a CIDR or single address literal; never resolves host names. */
    public static Cidr parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = literal(host);
        int max = address.getAddress().length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR range: " + text);
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix out of range: " + text);
            }
        }
        return new Cidr(address.getAddress(), prefix, trimmed);
    }

    /** An IP address literal (never a name lookup). */
    public static InetAddress literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty() || !(IPV4.matcher(bare).matches() || IPV6.matcher(bare).matches())) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
    }

    /** Whether {@code peer} (an address literal) lies in any of {@code ranges}. */
    public static boolean allowed(String peer, List<String> ranges) {
        InetAddress address;
        try {
            address = literal(peer);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (address instanceof java.net.Inet6Address && isMappedV4(address.getAddress())) {
            byte[] v4 = java.util.Arrays.copyOfRange(address.getAddress(), 12, 16);
            try {
                address = InetAddress.getByAddress(v4);
            } catch (UnknownHostException e) {
                return false;
            }
        }
        for (String range : ranges) {
            if (parse(range).contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMappedV4(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF;
    }

}
