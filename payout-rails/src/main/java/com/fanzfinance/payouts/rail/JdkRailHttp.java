package com.fanzfinance.payouts.rail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link RailHttp} on the JDK's HTTP client: no redirects, a connect timeout, and one deadline for the whole exchange
 * (headers and body: an answer that trickles in slower is given up), answers up to {@code maxAnswerBytes}.
 *
 * <p>What a failure says: a refused or unreachable connection, an unknown host and a request that cannot be built
 * (a bad URL or header) surely did not reach the rail ({@link RailCallException#mayHaveArrived()} false); a deadline
 * passed, a broken connection and an answer over the size limit may have (true).
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
        HttpRequest built;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.url())).timeout(timeout)
                .method(request.method(), request.body().length == 0 && !request.method().equals("POST")
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(builder::header);
            built = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the message may quote a header's value (a credential): name only what kind of problem it is
            throw new RailCallException("the request to " + host(request) + " cannot be built (a bad URL, method or "
                + "header)", false, null);
        }
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(built,
            info -> new LimitedBody(maxAnswerBytes));
        try {
            HttpResponse<byte[]> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new RailResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RailCallException(host(request) + " did not answer in full in " + timeout.toMillis() + " ms",
                true, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RailCallException("interrupted while calling " + host(request), true, e);
        } catch (ExecutionException e) {
            throw failure(request, e.getCause());
        }
    }

    private RailCallException failure(RailRequest request, Throwable cause) {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AnswerTooLarge) {
            return new RailCallException("the rail's answer is over " + maxAnswerBytes + " bytes", true, null);
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
            || cause instanceof UnknownHostException) {
            return new RailCallException("could not connect to " + host(request) + ": "
                + cause.getClass().getSimpleName(), false, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new RailCallException(host(request) + " did not answer in " + timeout.toMillis() + " ms", true,
                cause);
        }
        if (cause instanceof IOException) {
            return new RailCallException("the call to " + host(request) + " broke off: "
                + cause.getClass().getSimpleName(), true, cause);
        }
        return new RailCallException("the call to " + host(request) + " failed: "
            + (cause == null ? "no cause" : cause.getClass().getSimpleName()), true, cause);
    }

    private static String host(RailRequest request) {
        try {
            String host = URI.create(request.url()).getHost();
            return host == null ? "the rail" : host;
        } catch (IllegalArgumentException e) {
            return "the rail";
        }
    }

    /** An answer body over the limit. */
    private static final class AnswerTooLarge extends IOException {
        AnswerTooLarge() {
            super("answer too large", null);
        }
    }

    /** Collects the answer's bytes, giving up (and cancelling the stream) past {@code max}. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int max;
        private Flow.Subscription subscription;

        LimitedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if ((long) out.size() + item.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new AnswerTooLarge());
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
