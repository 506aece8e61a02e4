package com.fanzfinance.ledger.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * This process's mappings as {@code /proc/self/smaps} describes them (Linux): what tests of mapped files read to
 * see which pages are resident or dirty. A page dirty in the page cache counts as dirty in every mapping of it.
 */
public final class Smaps {
    private static final Pattern MAPPING_HEADER = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    private Smaps() {
    }

    /** Dirty kB (shared and private) of the mappings of files whose path contains {@code pathPart}. */
    public static long dirtyKbOfMappings(String pathPart) throws IOException {
        long dirty = 0;
        boolean inMapping = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (MAPPING_HEADER.matcher(line).lookingAt()) {
                inMapping = line.contains(pathPart);
            } else if (inMapping && (line.startsWith("Shared_Dirty:") || line.startsWith("Private_Dirty:"))) {
                dirty += kb(line);
            }
        }
        return dirty;
    }

    /** A field (in kB) of the mapping that starts at {@code address}. */
    public static long field(long address, String field) throws IOException {
        String start = Long.toHexString(address) + "-";
        boolean inMapping = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (MAPPING_HEADER.matcher(line).lookingAt()) {
                inMapping = line.startsWith(start);
            } else if (inMapping && line.startsWith(field + ":")) {
                return kb(line);
            }
        }
        throw new AssertionError("no mapping at " + start + " in /proc/self/smaps");
    }

    private static long kb(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
    }
}
