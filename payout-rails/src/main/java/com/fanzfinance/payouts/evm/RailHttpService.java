package com.fanzfinance.payouts.evm;

import com.fanzfinance.payouts.rail.RailCallException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailRequest;
import com.fanzfinance.payouts.rail.RailResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.web3j.protocol.Service;

/**
 * A web3j transport that posts each JSON-RPC request through a {@link RailHttp}, so the server's switch for provider
 * calls, its timeouts and its answer size limit apply to the node calls as to any rail's. Build a client with
 * {@code Web3j.build(new RailHttpService(url, http))}.
 */
public final class RailHttpService extends Service {
    /**
     * A node call that got no usable answer; {@link #mayHaveArrived()} as for {@link RailCallException} (an answer with
     * an HTTP error status counts as "may have arrived").
     */
    public static final class NodeCallException extends IOException {
        private final boolean mayHaveArrived;

        public NodeCallException(String message, boolean mayHaveArrived, Throwable cause) {
            super(message, cause);
            this.mayHaveArrived = mayHaveArrived;
        }

        public boolean mayHaveArrived() {
            return mayHaveArrived;
        }
    }

    private final String url;
    private final RailHttp http;

    public RailHttpService(String url, RailHttp http) {
        super(false);
        this.url = Objects.requireNonNull(url, "url");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    protected InputStream performIO(String payload) throws IOException {
        RailResponse response;
        try {
            response = http.send(RailRequest.json("POST", url, Map.of("Accept", "application/json"), Set.of(), payload));
        } catch (RailCallException e) {
            throw new NodeCallException(scrub(e.getMessage(), url), e.mayHaveArrived(), null);
        }
        if (!response.isSuccess()) {
            throw new NodeCallException("the node answered HTTP " + response.status(), true, null);
        }
        return new ByteArrayInputStream(response.body());
    }

    @Override
    public void close() {
        // Nothing to release: the RailHttp belongs to the caller.
    }

    /**
     * {@code scheme://host} of {@code url}, the most of a node URL that is ever shown: providers put the API key in the
     * path or query (Infura {@code /v3/<key>}, Alchemy {@code /v2/<key>}), and user info is dropped too.
     */
    public static String schemeAndHost(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost();
            }
        } catch (IllegalArgumentException e) {
            // shown as unreadable below
        }
        return "(an unreadable URL)";
    }

    /**
     * {@code message} with the URL, its path and its query replaced by {@code scheme://host} (an HTTP layer's message
     * may quote the URL it was given, and with it an API key).
     */
    public static String scrub(String message, String url) {
        if (message == null) {
            return null;
        }
        String shown = schemeAndHost(url);
        String clean = message.replace(url, shown);
        try {
            java.net.URI uri = java.net.URI.create(url);
            for (String part : new String[] {uri.getRawUserInfo(), uri.getRawQuery(), uri.getRawPath(), uri.getUserInfo(),
                uri.getQuery(), uri.getPath()}) {
                if (part != null && part.length() > 1) {
                    clean = clean.replace(part, "…");
                }
            }
        } catch (IllegalArgumentException e) {
            // the whole URL was replaced above
        }
        return clean;
    }

    @Override
    public String toString() {
        return "RailHttpService[" + schemeAndHost(url) + "]";
    }
}
