package zc.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Range copies as HTTP servers write them for 206 responses: skip to the range's first byte, then a bounded loop of
 * the range's length. Only the range's bytes may move, and the source must end right after them.
 */
public final class Ranges {
    private Ranges() {
    }

    /** The middle third of the file (bytes size/3 .. 2*size/3). */
    public static long skipThenBounded(InputStream in, OutputStream out) throws IOException {
        return range(in, out, Loops.size / 3, Loops.size / 3);
    }

    /** A range whose end lies past the end of the file: the loop stops on -1 with bytes still "remaining". */
    public static long skipThenBoundedPastEnd(InputStream in, OutputStream out) throws IOException {
        return range(in, out, Loops.size / 2, Loops.size);
    }

    /** Returns what remains times 31 plus what was skipped: both must be as without zc. */
    private static long range(InputStream in, OutputStream out, long first, long length) throws IOException {
        long skipped = in.skip(first);
        return bounded(in, out, length) * 31 + skipped;
    }

    /** The bounded loop of a range (also JdkHttpApp's 206 responses); returns what remains. */
    static long bounded(InputStream in, OutputStream out, long remaining) throws IOException {
        byte[] buf = new byte[Loops.B];
        int n;
        while (remaining > 0) {
            n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            remaining -= n;
        }
        return remaining;
    }
}
