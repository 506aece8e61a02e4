package com.fanzfinance.server.cli;

import java.io.PrintStream;

/**
 * A progress bar on standard error: redrawn in place on a terminal (at most ten times a second), or a
 * line per tenth of the work otherwise, so logs of non-interactive runs stay short.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final String unit;
    private long total;
    private long lastDrawn;
    private int lastTenth = -1;

    ProgressBar(PrintStream out, boolean terminal, String unit) {
        this.out = out;
        this.terminal = terminal;
        this.unit = unit;
    }

    void start(long newTotal) {
        this.total = newTotal;
        draw(0, "", true);
    }

    void update(long done, String detail) {
        draw(done, detail, false);
    }

    void finish(long done, String detail) {
        draw(done, detail, true);
        if (terminal) {
            out.println();
        }
    }

    private void draw(long done, String detail, boolean force) {
        long now = System.nanoTime();
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        if (terminal) {
            if (!force && now - lastDrawn < REDRAW_NANOS) {
                return;
            }
            int filled = percent * WIDTH / 100;
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% " + done + "/" + total
                + " " + unit + " " + detail);
            out.flush();
        } else {
            int tenth = percent / 10;
            if (!force && tenth == lastTenth) {
                return;
            }
            lastTenth = tenth;
            out.println(percent + "% " + done + "/" + total + " " + unit + " " + detail);
        }
        lastDrawn = now;
    }

    /** This bar as the progress of a journal replay (batches read, commands applied); silent if not {@code shown}. */
    com.fanzfinance.ledger.engine.JournalReplay.Progress forReplay(boolean shown) {
        return new com.fanzfinance.ledger.engine.JournalReplay.Progress() {
            @Override
            public void started(long excerpts) {
                if (shown) {
                    start(excerpts);
                }
            }

            @Override
            public void advanced(long batchesRead, long commandsApplied) {
                if (shown) {
                    update(batchesRead, commandsApplied + " commands");
                }
            }
        };
    }
}
