package zc.cli.demo;

import java.io.PrintWriter;

/**
 * Progress of long steps on stderr: one line redrawn in place on a terminal, a plain line every 10% otherwise
 * (logs, CI), nothing at all when quiet.
 */
final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private int lastTenth = -1;
    private boolean drawn;

    Progress(PrintWriter out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    void update(String what, long done, long total) {
        if (quiet) {
            return;
        }
        int percent = total == 0 ? 100 : (int) (done * 100 / total);
        if (terminal) {
            out.print("\r" + what + " " + percent + "%");
            out.flush();
            drawn = true;
        } else if (percent / 10 != lastTenth) {
            lastTenth = percent / 10;
            out.println(what + " " + percent + "%");
            out.flush();
        }
    }

    void done() {
        if (drawn) {
            out.println();
        }
        drawn = false;
        lastTenth = -1;
    }

    void line(String text) {
        if (!quiet) {
            out.println(text);
        }
    }
}
