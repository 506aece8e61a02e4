package com.fanzfinance.benchmarks.load;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Virtual threads (JDK 21 and newer) for the callers of {@code --caller-threads virtual}, reached by reflection: the
 * project builds Java 17 bytecode, where {@code Thread.ofVirtual()} does not exist.
 */
final class VirtualThreads {
    private static final Method OF_VIRTUAL = method(Thread.class, "ofVirtual");
    private static final Class<?> BUILDER = builderClass();
    private static final Method NAME = BUILDER == null ? null : method(BUILDER, "name", String.class);
    private static final Method START = BUILDER == null ? null : method(BUILDER, "start", Runnable.class);

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads (JDK 19 and 20 have them only as a preview, refused here). */
    static boolean available() {
        return Runtime.version().feature() >= 21 && OF_VIRTUAL != null && NAME != null && START != null;
    }

    /** Starts {@code body} on a new virtual thread named {@code name}. */
    static Thread start(String name, Runnable body) {
        if (!available()) {
            throw new IllegalStateException("virtual threads need JDK 21 or newer; this is " + Runtime.version());
        }
        try {
            Object builder = NAME.invoke(OF_VIRTUAL.invoke(null), name);
            return (Thread) START.invoke(builder, body);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot start a virtual thread", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot start a virtual thread: " + e.getCause(), e.getCause());
        }
    }

    private static Class<?> builderClass() {
        try {
            return Class.forName("java.lang.Thread$Builder");
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
