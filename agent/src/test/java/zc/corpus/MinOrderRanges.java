package zc.corpus;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.util.Arrays;

/**
 * Range loops that write the read length with {@code remaining} first, {@code Math.min(remaining, buf.length)}, as
 * HTTP Range handlers and servlet range copies often do, and with a constant for {@code buf.length}. Min is
 * symmetric: each reads what its twin with {@code Math.min(buf.length, remaining)} in {@link TryRanges} reads.
 * Each opens the scenario's file itself, positions it (seek or skip), copies a bounded range and returns what
 * remains and where the source stood.
 */
public final class MinOrderRanges {
    /** A read length smaller than the buffer; javac folds it into the min's operand (an ldc2_w on a long). */
    static final int CHUNK = Loops.B / 2;

    private MinOrderRanges() {
    }

    /** {@link TryRanges#rafTryWithResources} with {@code (int) Math.min(remaining, buf.length)}. */
    public static long rafMinRemainingFirst(InputStream in, OutputStream out) throws IOException {
        long remaining = Loops.size / 2;
        try (RandomAccessFile raf = new RandomAccessFile(Helpers.path.toFile(), "r")) {
            raf.seek(Loops.size / 4);
            byte[] buf = new byte[Loops.B];
            while (remaining > 0) {
                int n = raf.read(buf, 0, (int) Math.min(remaining, buf.length));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            return remaining * 1_000_003L + raf.getFilePointer();
        }
    }

    /**
     * {@link TryRanges#rafTryFinally} with {@code (int) Math.min(remaining, (long) buf.length)}: the range runs past
     * the end of the file, and n is read after the loop.
     */
    public static long rafMinRemainingFirstPastEnd(InputStream in, OutputStream out) throws IOException {
        RandomAccessFile raf = new RandomAccessFile(Helpers.path.toFile(), "r");
        long remaining = Loops.size;
        long pointer = -1;
        int n = 7;
        try {
            try {
                raf.seek(Loops.size / 2);
                byte[] buf = new byte[Loops.B];
                while (remaining > 0) {
                    n = raf.read(buf, 0, (int) Math.min(remaining, (long) buf.length));
                    if (n == -1) {
                        break;
                    }
                    out.write(buf, 0, n);
                    remaining -= n;
                }
            } finally {
                pointer = raf.getFilePointer();
                raf.close();
            }
        } catch (IOException e) {
            throw new IOException(e.getClass().getName() + ": " + e.getMessage() + ", pointer " + pointer, e);
        }
        return remaining * 1_000_003L + pointer * 31 + n;
    }

    /** {@link TryRanges#fisSkipTryFinally} with {@code Math.min(remaining, buf.length)} on an int. */
    public static long fisSkipMinRemainingFirst(InputStream in, OutputStream out) throws IOException {
        InputStream s = new FileInputStream(Helpers.path.toFile());
        int remaining = (int) (Loops.size * 2 / 3);
        int n = 5;
        long left;
        try {
            s.skip(Loops.size / 5);
            byte[] buf = new byte[Loops.B];
            while (remaining > 0) {
                n = s.read(buf, 0, Math.min(remaining, buf.length));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            left = s.available();
        } finally {
            s.close();
        }
        return (remaining * 1_000_003L + left) * 31 + n;
    }

    /**
     * {@code try (InputStream s = new FileInputStream(f)) { s.skip(start); ... }} reading
     * {@code (int) Math.min(remaining, CHUNK)}: half-buffer reads, and the buffer is read after the loop.
     */
    public static long fisSkipMinRemainingChunk(InputStream in, OutputStream out) throws IOException {
        try (InputStream s = new FileInputStream(Helpers.path.toFile())) {
            long skipped = s.skip(Loops.size / 3);
            byte[] buf = new byte[Loops.B];
            long remaining = Loops.size / 2 + 1;
            while (remaining > 0) {
                int n = s.read(buf, 0, (int) Math.min(remaining, CHUNK));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            return ((remaining * 1_000_003L + s.available()) * 31 + skipped) * 31 + Arrays.hashCode(buf);
        }
    }

    /**
     * NanoHTTPD's loop ({@link TryRanges#flaggedInTry}) with {@code Math.min(chunk, pending)}, on the scenario's
     * stream, half-buffer reads and the range three bytes short of the file.
     */
    public static long flaggedMinChunkFirst(InputStream in, OutputStream out) throws IOException {
        long chunk = CHUNK;
        byte[] buf = new byte[Loops.B];
        long pending = Math.max(0, Loops.size - 3);
        boolean everything = Loops.size < 0;
        while (pending > 0 || everything) {
            long toRead = everything ? chunk : Math.min(chunk, pending);
            int n = in.read(buf, 0, (int) toRead);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            if (!everything) {
                pending -= n;
            }
        }
        return pending;
    }

    /** {@code Math.min(CHUNK, remaining)} on an int, the constant first, after {@code raf.seek}. */
    public static long rafMinChunkFirst(InputStream in, OutputStream out) throws IOException {
        int remaining = (int) (Loops.size - Loops.size / 7);
        try (RandomAccessFile raf = new RandomAccessFile(Helpers.path.toFile(), "r")) {
            raf.seek(Loops.size / 7);
            byte[] buf = new byte[Loops.B];
            while (remaining > 0) {
                int n = raf.read(buf, 0, Math.min(CHUNK, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            return remaining * 1_000_003L + raf.getFilePointer();
        }
    }
}
