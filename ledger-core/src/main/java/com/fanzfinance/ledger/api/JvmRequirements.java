package com.fanzfinance.ledger.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, before anything else runs, that this JVM grants the access to JDK internals that the ledger's
 * libraries need, so a missing command-line flag fails at once with a message naming it rather than
 * later, half-way through some work, as an {@code IllegalAccessError} deep inside a library.
 *
 * <p>Two libraries need it. Agrona's buffers ({@code UnsafeBuffer}, used by the client's binary
 * records and by every engine) read and write memory through {@code jdk.internal.misc.Unsafe}, which
 * needs {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED}. Chronicle Queue, the durable
 * ledger's journal, maps files and cleans direct memory through further internals of {@code java.base}:
 * the other {@code --add-exports}/{@code --add-opens} of {@link #DURABLE_LEDGER_FLAGS}. On JDK 22 and
 * later the durable ledger also needs {@code --enable-native-access=ALL-UNNAMED} (checked) and
 * {@code --sun-misc-unsafe-memory-access=allow} (which no API reveals, so it is only named in the
 * message); JDK 17 refuses the latter flag.
 *
 * <p>Each check asks {@code java.base} whether the package is exported or opened to the unnamed module,
 * which is where Agrona and Chronicle run when they are on the class path (the supported way; a program
 * that puts them on the module path must name their modules instead of {@code ALL-UNNAMED}). The checks
 * are cheap and allocate only when something is missing; call them once, at start-up:
 * {@link #requireForClient()} from {@code LedgerClient}, {@link #requireForInMemoryLedger()} and
 * {@link #requireForDurableLedger()} before the engines are built.
 *
 * <p>The flags are those of the parent POM's {@code fanz.jvm.flags} (and {@code fanz.jvm.flags.jdk22});
 * a test keeps the two lists equal.
 */
public final class JvmRequirements {
    /** What Agrona's {@code UnsafeBuffer} needs: all the client and the in-memory ledger need. */
    public static final List<String> AGRONA_FLAGS = List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");

    /** What the durable ledger needs on every JDK: Agrona's flag and Chronicle Queue's. */
    public static final List<String> DURABLE_LEDGER_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED");

    /** What the durable ledger also needs on JDK 22 and later (JDK 17 refuses the second). */
    public static final List<String> DURABLE_LEDGER_FLAGS_JDK22 = List.of(
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow");

    private static final String ENABLE_NATIVE_ACCESS = DURABLE_LEDGER_FLAGS_JDK22.get(0);
    private static final String UNSAFE_MEMORY_ACCESS = DURABLE_LEDGER_FLAGS_JDK22.get(1);
    private static final int NATIVE_ACCESS_FEATURE_VERSION = 22;

    private JvmRequirements() {
    }

    /**
     * Fails unless Agrona may use {@code jdk.internal.misc.Unsafe}: what {@code LedgerClient} needs.
     *
     * @throws IllegalStateException naming the missing flag
     */
    public static void requireForClient() {
        require("the ledger client", missing(AGRONA_FLAGS), "");
    }

    /**
     * Fails unless Agrona may use {@code jdk.internal.misc.Unsafe}: what {@code InMemoryLedger} needs.
     *
     * @throws IllegalStateException naming the missing flag
     */
    public static void requireForInMemoryLedger() {
        require("the in-memory ledger", missing(AGRONA_FLAGS), "");
    }

    /**
     * Fails unless Agrona and Chronicle Queue get every access they need: what {@code DurableLedger} (and
     * so the server) needs. On JDK 22 and later the message also names
     * {@code --sun-misc-unsafe-memory-access=allow}, which cannot be checked.
     *
     * @throws IllegalStateException naming every missing flag
     */
    public static void requireForDurableLedger() {
        List<String> missing = missing(DURABLE_LEDGER_FLAGS);
        String note = "";
        if (Runtime.version().feature() >= NATIVE_ACCESS_FEATURE_VERSION) {
            if (!isNativeAccessEnabled()) {
                missing.add(ENABLE_NATIVE_ACCESS);
            }
            note = "On JDK 22 and later also pass " + UNSAFE_MEMORY_ACCESS + ": Chronicle Queue uses sun.misc.Unsafe"
                + " (no API tells whether it was given).\n";
        }
        require("the durable ledger", missing, note);
    }

    /** The flags of {@code required} this JVM lacks, in the order given; empty if it has them all. */
    public static List<String> missing(List<String> required) {
        List<String> missing = new ArrayList<>();
        for (String flag : required) {
            if (!isGranted(flag)) {
                missing.add(flag);
            }
        }
        return missing;
    }

    private static void require(String user, List<String> missing, String note) {
        if (!missing.isEmpty()) {
            throw new IllegalStateException((message(user, missing) + note).strip());
        }
    }

    /** The flags on one line to copy, then which library needs which of them. */
    private static String message(String user, List<String> missing) {
        Map<String, List<String>> flagsByReason = new LinkedHashMap<>();
        for (String flag : missing) {
            flagsByReason.computeIfAbsent(reason(flag), reason -> new ArrayList<>()).add(flag);
        }
        StringBuilder text = new StringBuilder()
            .append(user).append(" needs JVM flags this java was started without. Add to the java command line:\n  ")
            .append(String.join(" ", missing)).append('\n');
        flagsByReason.forEach((reason, flags) ->
            text.append("Why: ").append(reason).append(" (").append(String.join(" ", flags)).append(").\n"));
        return text.toString();
    }

    private static String reason(String flag) {
        if (AGRONA_FLAGS.contains(flag)) {
            return "Agrona's buffers read and write memory through jdk.internal.misc.Unsafe";
        }
        if (flag.equals(ENABLE_NATIVE_ACCESS)) {
            return "Chronicle Queue calls native code for its memory-mapped journal";
        }
        return "Chronicle Queue, the durable ledger's journal, maps files and manages off-heap memory through these"
            + " internals of java.base";
    }

    /** True if java.base exports (for --add-exports) or opens (for --add-opens) the flag's package to us. */
    static boolean isGranted(String flag) {
        Access access = Access.parse(flag);
        Module base = Object.class.getModule();
        Module unnamed = unnamedModule();
        return access.opens() ? base.isOpen(access.packageName(), unnamed) : base.isExported(access.packageName(), unnamed);
    }

    /** The unnamed module of the class path, which {@code ALL-UNNAMED} grants to. */
    private static Module unnamedModule() {
        Module own = JvmRequirements.class.getModule();
        return own.isNamed() ? ClassLoader.getSystemClassLoader().getUnnamedModule() : own;
    }

    /** {@code Module.isNativeAccessEnabled()} (JDK 22+), called reflectively since we compile for 17. */
    private static boolean isNativeAccessEnabled() {
        try {
            Method method = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean) method.invoke(unnamedModule());
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            return true;
        }
    }

    /** One {@code --add-exports} or {@code --add-opens} flag of java.base to ALL-UNNAMED. */
    private record Access(boolean opens, String packageName) {
        private static final String BASE = "java.base/";
        private static final String TO_UNNAMED = "=ALL-UNNAMED";

        static Access parse(String flag) {
            boolean opens = flag.startsWith("--add-opens=" + BASE);
            if (!opens && !flag.startsWith("--add-exports=" + BASE) || !flag.endsWith(TO_UNNAMED)) {
                throw new IllegalArgumentException("not an --add-exports/--add-opens of java.base to ALL-UNNAMED: " + flag);
            }
            int start = flag.indexOf(BASE) + BASE.length();
            return new Access(opens, flag.substring(start, flag.length() - TO_UNNAMED.length()));
        }
    }
}
