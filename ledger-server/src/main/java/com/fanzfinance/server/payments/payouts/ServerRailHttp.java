package com.fanzfinance.server.payments.payouts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.payouts.rail.JdkRailHttp;
import com.fanzfinance.payouts.rail.RailCallException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.rail.RailRequest;
import com.fanzfinance.payouts.rail.RailResponse;

/**
 * The server's way out to rails: the JDK client with its timeouts and answer limit, refused at once (nothing sent)
 * when {@code FANZ_PROVIDER_CALLS=off}. Failures are logged with the method and host only — never a credential header
 * or a body that holds a key.
 */
public final class ServerRailHttp implements RailHttp {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRailHttp.class);
    private final RailHttp http;
    private final boolean enabled;

    public ServerRailHttp(boolean enabled) {
        this(JdkRailHttp.standard(), enabled);
    }

    public ServerRailHttp(RailHttp http, boolean enabled) {
        this.http = http;
        this.enabled = enabled;
    }

    @Override
    public RailResponse send(RailRequest request) throws RailCallException {
        if (!enabled) {
            throw new RailCallException("calls to rails are off (FANZ_PROVIDER_CALLS=off)", false, null);
        }
        try {
            return http.send(request);
        } catch (RailCallException e) {
            LOG.warn("rail call {} to {} got no answer: {}", request.method(), host(request.url()), e.getMessage());
            throw e;
        }
    }

    /** Only the host: a node's URL may carry an API key in its path (Infura, Alchemy). */
    private static String host(String url) {
        try {
            return java.net.URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "(unparsable URL)";
        }
    }
}
