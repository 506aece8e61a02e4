package com.fanzfinance.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** What an example printed, when it is run in this JVM with its own output stream. */
final class Printed {
    private Printed() {
    }

    static String by(Consumer<PrintStream> example) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            example.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
