package zc.corpus;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;

/**
 * Copy loops inside try-with-resources, try/finally and try/catch, the way range handlers write them: the method
 * opens the scenario's file itself ({@link Helpers#path}), positions it, copies a bounded range and closes it. Each
 * returns what remains and where the source stood after the loop; the failing cases (a closed sink) report the
 * exception that reached the handler, the file pointer the finally block saw and whether the resource was closed.
 */
public final class TryRanges {
    private TryRanges() {
    }

    /** {@code try (RandomAccessFile raf = ...) { raf.seek(start); bounded loop }}: a quarter in, half the file. */
    public static long rafTryWithResources(InputStream in, OutputStream out) throws IOException {
        long remaining = Loops.size / 2;
        try (RandomAccessFile raf = new RandomAccessFile(Helpers.path.toFile(), "r")) {
            raf.seek(Loops.size / 4);
            byte[] buf = new byte[Loops.B];
            while (remaining > 0) {
                int n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
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
     * try/finally: the range runs past the end of the file (the loop ends on -1); the finally block reads the file
     * pointer, which a catch around it reports when the copy fails.
     */
    public static long rafTryFinally(InputStream in, OutputStream out) throws IOException {
        RandomAccessFile raf = new RandomAccessFile(Helpers.path.toFile(), "r");
        long remaining = Loops.size;
        long pointer = -1;
        int n = 7;
        try {
            try {
                raf.seek(Loops.size / 2);
                byte[] buf = new byte[Loops.B];
                while (remaining > 0) {
                    n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
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

    /** {@code try (InputStream s = new FileInputStream(f)) { s.skip(start); bounded loop }}. */
    public static long fisSkipTryWithResources(InputStream in, OutputStream out) throws IOException {
        try (InputStream s = new FileInputStream(Helpers.path.toFile())) {
            long skipped = s.skip(Loops.size / 3);
            byte[] buf = new byte[Loops.B];
            long remaining = Loops.size / 2;
            while (remaining > 0) {
                int n = s.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            return (remaining * 1_000_003L + s.available()) * 31 + skipped;
        }
    }

    /** {@code finally { s.close(); }}, an int count, and n read after the loop. */
    public static long fisSkipTryFinally(InputStream in, OutputStream out) throws IOException {
        InputStream s = new FileInputStream(Helpers.path.toFile());
        int remaining = (int) (Loops.size * 2 / 3);
        int n = 5;
        long left;
        try {
            s.skip(Loops.size / 5);
            byte[] buf = new byte[Loops.B];
            while (remaining > 0) {
                n = s.read(buf, 0, Math.min(buf.length, remaining));
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

    /** Two resources, the source and the sink, around the plain unbounded loop with a total. */
    public static long twoResources(InputStream in, OutputStream out) throws IOException {
        long total = 0;
        try (InputStream s = Files.newInputStream(Helpers.path); OutputStream o = out) {
            byte[] buf = new byte[Loops.B];
            int n;
            while ((n = s.read(buf)) != -1) {
                o.write(buf, 0, n);
                total += n;
            }
        }
        return total;
    }

    /**
     * A catch after try-with-resources: the copy's exception reaches it after the file was closed, and it reports
     * that exception's class and message and whether the file was closed.
     */
    public static long rafCatch(InputStream in, OutputStream out) throws IOException {
        RandomAccessFile raf = new RandomAccessFile(Helpers.path.toFile(), "r");
        try (raf) {
            raf.seek(Loops.size / 3);
            byte[] buf = new byte[Loops.B];
            long remaining = Loops.size / 3 + 1;
            while (remaining > 0) {
                int n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            return remaining * 1_000_003L + raf.getFilePointer();
        } catch (IOException e) {
            throw new IOException("range failed: " + e.getClass().getName() + ": " + e.getMessage()
                    + ", file open: " + raf.getChannel().isOpen(), e);
        }
    }

    /** NanoHTTPD's flagged loop inside try-with-resources, two thirds of the file, n read afterwards. */
    public static long flaggedInTry(InputStream in, OutputStream out) throws IOException {
        try (InputStream s = new FileInputStream(Helpers.path.toFile())) {
            long chunk = Loops.B;
            byte[] buf = new byte[Loops.B];
            long pending = Loops.size * 2 / 3;
            boolean everything = Loops.size < 0;
            int n = 42;
            while (pending > 0 || everything) {
                long toRead = everything ? chunk : Math.min(pending, chunk);
                n = s.read(buf, 0, (int) toRead);
                if (n <= 0) {
                    break;
                }
                out.write(buf, 0, n);
                if (!everything) {
                    pending -= n;
                }
            }
            return (pending * 1_000_003L + s.available()) * 31 + n;
        }
    }

    // ---- must stay as written ----

    /** The catch reads remaining: it would see the value from before the copy, not the loop's last. */
    public static long catchReadsRemaining(InputStream in, OutputStream out) throws IOException {
        long remaining = Loops.size / 2;
        try (RandomAccessFile raf = new RandomAccessFile(Helpers.path.toFile(), "r")) {
            raf.seek(Loops.size / 4);
            byte[] buf = new byte[Loops.B];
            while (remaining > 0) {
                int n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
        } catch (IOException e) {
            throw new IOException("failed with " + remaining + " bytes left", e);
        }
        return remaining;
    }

    /** The finally block logs n: an exception mid-copy would show it the value from before the copy. */
    public static long finallyReadsN(InputStream in, OutputStream out) throws IOException {
        InputStream s = new FileInputStream(Helpers.path.toFile());
        long remaining = Loops.size / 2;
        int n = 0;
        try {
            byte[] buf = new byte[Loops.B];
            while (remaining > 0) {
                n = s.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
        } finally {
            lastRead = n;
            s.close();
        }
        return remaining * 31 + lastRead;
    }

    /** The flagged loop whose catch reports what is pending: the prefix does not count it down mid-way. */
    public static long flaggedCatchReadsPending(InputStream in, OutputStream out) throws IOException {
        long pending = Loops.size * 2 / 3;
        try (InputStream s = new FileInputStream(Helpers.path.toFile())) {
            long chunk = Loops.B;
            byte[] buf = new byte[Loops.B];
            boolean everything = Loops.size < 0;
            while (pending > 0 || everything) {
                long toRead = everything ? chunk : Math.min(pending, chunk);
                int n = s.read(buf, 0, (int) toRead);
                if (n <= 0) {
                    break;
                }
                out.write(buf, 0, n);
                if (!everything) {
                    pending -= n;
                }
            }
        } catch (IOException e) {
            throw new IOException(pending + " bytes pending", e);
        }
        return pending;
    }

    static int lastRead;
}
