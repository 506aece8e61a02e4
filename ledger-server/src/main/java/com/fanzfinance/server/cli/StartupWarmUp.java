package com.fanzfinance.server.cli;

/**
 * Runs, on a daemon thread of its own as soon as {@code fanz serve} has read its settings, the static initialiser
 * that the engine's opening would otherwise wait for: Chronicle's {@code OS} class, whose POSIX binding is
 * generated at run time (0.3 s of a restart's critical path, docs/benchmarks.md, twentieth session). It overlaps
 * the rest of the server's start up to the recovery's first step. Not sooner: it logs, and the logging must start
 * after the settings that configure it are set, on the main thread ({@code ServeCommandTest}). A class's
 * initialiser runs once, whichever thread gets there first; one that is running when the engine needs the class
 * makes it wait for the rest only. Nothing here can fail a start: a class that cannot be loaded or initialised here
 * is logged (with its cause, which a later use of the class would not show on JDK 17) and fails, as before, where
 * it is used.
 */
final class StartupWarmUp {
    static final String[] CLASSES = {"net.openhft.chronicle.core.OS"};

    private StartupWarmUp() {
    }

    static Thread start() {
        Thread thread = new Thread(StartupWarmUp::run, "fanz-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void run() {
        ClassLoader loader = StartupWarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // The logging has started (ServeCommand); the code that uses the class fails as it always did.
                org.slf4j.LoggerFactory.getLogger(StartupWarmUp.class).warn("the start's warm-up could not"
                    + " initialise {}", name, e);
            }
        }
    }
}
