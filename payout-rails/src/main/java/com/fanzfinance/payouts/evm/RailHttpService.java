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
            throw new NodeCallException(e.getMessage(), e.mayHaveArrived(), e);
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

    @Override
    public String toString() {
        return "RailHttpService[" + url + "]";
    }
}
