package com.fanzfinance.payouts.rail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * {@link RailHttp} on the JDK's HTTP client: no redirects, a connect and a whole-request timeout, answers up to
 * {@code maxAnswerBytes}.
 */
public final class JdkRailHttp implements RailHttp {
    private final HttpClient client;
    private final Duration timeout;
    private final int maxAnswerBytes;

    public JdkRailHttp(Duration connectTimeout, Duration timeout, int maxAnswerBytes) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
            .build();
        this.timeout = timeout;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** 10 s to connect, 30 s in all, answers up to 1 MiB. */
    public static JdkRailHttp standard() {
        return new JdkRailHttp(Duration.ofSeconds(10), Duration.ofSeconds(30), 1 << 20);
    }

    @Override
    public RailResponse send(RailRequest request) throws RailCallException {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(request.url())).timeout(timeout)
                .method(request.method(), request.body().length == 0 && !request.method().equals("POST")
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } catch (IllegalArgumentException e) {
            throw new RailCallException("the rail URL is not usable: " + e.getMessage(), false, e);
        }
        request.headers().forEach(builder::header);
        try {
            HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    if (out.size() + read > maxAnswerBytes) {
                        throw new RailCallException("the rail's answer is over " + maxAnswerBytes + " bytes", true, null);
                    }
                    out.write(buffer, 0, read);
                }
                return new RailResponse(response.statusCode(), response.headers().map(), out.toByteArray());
            }
        } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException e) {
            throw new RailCallException("could not connect to " + host(request) + ": " + e.getClass().getSimpleName(),
                false, e);
        } catch (HttpTimeoutException e) {
            throw new RailCallException(host(request) + " did not answer in " + timeout.toSeconds() + " s", true, e);
        } catch (IOException e) {
            throw new RailCallException("the call to " + host(request) + " broke off: " + e.getClass().getSimpleName(),
                true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RailCallException("interrupted while calling " + host(request), true, e);
        }
    }

    private static String host(RailRequest request) {
        try {
            return URI.create(request.url()).getHost();
        } catch (IllegalArgumentException e) {
            return "the rail";
        }
    }
}
