package com.fanzfinance.server.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT (Ctrl-C) taken as a request to stop, instead of the JVM's default — run the
 * shutdown hooks, then exit with 128 + the signal's number, which tells a supervisor the service failed.
 * {@code serve} waits for the request on its main thread, shuts the server down there and exits 0; a
 * request that comes while the server is still starting is acted on once it has started. More signals
 * change nothing (SIGKILL stops at once; the journal is crash-safe).
 *
 * <p>Java has no public API for signals. {@code sun.misc.Signal} (module {@code jdk.unsupported}, kept
 * for this use) is reached by reflection because javac warns at every direct use of it. Where it is
 * missing the JVM's default stays: the server still shuts down cleanly, through the shutdown hook, but
 * exits with 128 + n.
 */
final class StopSignals {
    private static final List<String> NAMES = List.of("TERM", "INT");

    private final Logger log = LoggerFactory.getLogger(StopSignals.class);
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicReference<String> received = new AtomicReference<>();

    private StopSignals() {
    }

    /** Takes over SIGTERM and SIGINT from the JVM (logged if it cannot). */
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        try {
            // Agrona's ShutdownSignalBarrier (which Aeron creates in a clustered server) takes SIGINT and SIGTERM
            // for itself when its class initialises; initialised first, it leaves them to the handlers below.
            Class.forName("org.agrona.concurrent.ShutdownSignalBarrier", true, StopSignals.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // no Aeron, nobody to take the signals away
        }
        for (String name : NAMES) {
            try {
                signals.handle(name);
            } catch (ReflectiveOperationException | RuntimeException e) {
                signals.log.warn("cannot handle SIG{} ({}); it will stop the server through the JVM's shutdown"
                    + " hook, with exit status 128 + its number", name, e.toString());
            }
        }
        return signals;
    }

    /** Waits for SIGTERM or SIGINT and returns its name, e.g. {@code SIGTERM}. */
    String await() throws InterruptedException {
        requested.await();
        return received.get();
    }

    private void handle(String name) throws ReflectiveOperationException {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        Object signal = signalType.getConstructor(String.class).newInstance(name);
        Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
            (proxy, method, arguments) -> invoked(proxy, method, arguments, "SIG" + name));
        signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
    }

    /** The handler proxy's methods: {@code handle(Signal)}, and Object's own. */
    private Object invoked(Object proxy, Method method, Object[] arguments, String name) {
        return switch (method.getName()) {
            case "handle" -> {
                received(name);
                yield null;
            }
            case "equals" -> proxy == arguments[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "StopSignals handler for " + name;
        };
    }

    private void received(String name) {
        if (received.compareAndSet(null, name)) {
            log.info("{} received: shutting down", name);
            requested.countDown();
        } else {
            log.info("{} received: already shutting down (SIGKILL stops at once; the journal is crash-safe)", name);
        }
    }
}
