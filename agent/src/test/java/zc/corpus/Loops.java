package zc.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;

/**
 * The loop shapes of the differential corpus, written the way applications write them. Each returns what the
 * caller can observe of it (a total, the final n, the buffer's checksum) so that off and rewrite runs can be
 * compared. The shapes the agent must leave alone are at the end.
 */
public final class Loops {
    public static final int B = 8192;

    private Loops() {
    }

    public static long whileNotEof(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return 0;
    }

    public static long whileNonNegative(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return 0;
    }

    public static long whilePositive(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return 0;
    }

    public static long forLoop(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return 0;
    }

    public static long readRange(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while ((n = in.read(buf, 0, buf.length)) != -1) {
            out.write(buf, 0, n);
        }
        return 0;
    }

    public static long longTotal(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    public static long intTotal(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    public static long totalBeforeWrite(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            out.write(buf, 0, n);
        }
        return total;
    }

    /** The final n is read after the loop. */
    public static long finalN(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return n;
    }

    /** The buffer is read after the loop: it must hold what the last reads left in it. */
    public static long bufferReadAfter(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        return crc.getValue();
    }

    /** The buffer belongs to the caller, who checksums it afterwards. */
    public static long bufferParameter(InputStream in, OutputStream out, byte[] buf) throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    public static long bufferParameterCaller(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        java.util.Arrays.fill(buf, (byte) 7);
        long total = bufferParameter(in, out, buf);
        CRC32 crc = new CRC32();
        crc.update(buf);
        return total * 31 + crc.getValue();
    }

    /** The size of the scenario's file, for the bounded loops' limits. */
    static long size;

    /** A Content-Length style copy of two thirds of the file; returns what remains (0). */
    public static long boundedLong(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long remaining = size * 2 / 3;
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

    /** A limit past the end of the file: the loop stops on -1 with bytes still "remaining". */
    public static long boundedPastEnd(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long remaining = size + 100;
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

    /** An int count, a == -1 test, and n read afterwards along with the buffer. */
    public static long boundedIntFinalN(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int remaining = (int) (size * 2 / 3);
        int n = 42;
        while (remaining > 0) {
            n = in.read(buf, 0, Math.min(buf.length, remaining));
            if (n == -1) {
                break;
            }
            out.write(buf, 0, n);
            remaining -= n;
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        return remaining * 1_000_003L + n * 31L + crc.getValue();
    }

    /** Spring's StreamUtils.copyRange: skip, then a bounded loop that reads a whole buffer with read(buf). */
    public static long springRange(InputStream in, OutputStream out) throws IOException {
        long start = Math.min(10, size);
        long end = size * 3 / 4;
        long skipped = in.skip(start);
        if (skipped < start) {
            throw new IOException("Skipped only " + skipped + " bytes out of " + start + " required");
        }
        long bytesToCopy = end - start + 1;
        byte[] buffer = new byte[(int) Math.min(B, Math.max(1, bytesToCopy))];
        while (bytesToCopy > 0) {
            int bytesRead = (bytesToCopy < buffer.length ? in.read(buffer, 0, (int) bytesToCopy) : in.read(buffer));
            if (bytesRead == -1) {
                break;
            }
            out.write(buffer, 0, bytesRead);
            bytesToCopy -= bytesRead;
        }
        CRC32 crc = new CRC32();
        crc.update(buffer);
        return (end - start + 1 - bytesToCopy) * 31 + crc.getValue();
    }

    /** Jetty's IO.copy(in, out, count): a constant read length, the count taken before the write. */
    public static long jettyBounded(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[B];
        long byteCount = size * 2 / 3;
        int len = B;
        while (byteCount > 0) {
            int max = byteCount < B ? (int) byteCount : B;
            len = in.read(buffer, 0, max);
            if (len == -1) {
                break;
            }
            byteCount -= len;
            out.write(buffer, 0, len);
        }
        return byteCount * 31 + len;
    }

    /**
     * NanoHTTPD's Response.sendBody, as published: a Content-Length loop with a send-everything flag, the source in
     * a field. Two thirds of the file.
     */
    public static long flaggedField(InputStream in, OutputStream out) throws IOException {
        return new Body(in).send(out, size * 2 / 3);
    }

    /** The same with the flag set (pending -1): the whole file, by the loop as written. */
    public static long flaggedEverything(InputStream in, OutputStream out) throws IOException {
        return new Body(in).send(out, -1);
    }

    /** A limit past the end of the file: the loop ends on a read of -1 with bytes still pending. */
    public static long flaggedPastEnd(InputStream in, OutputStream out) throws IOException {
        return new Body(in).send(out, size + 100);
    }

    /** The flagged loop on locals, reading half a buffer at a time, with n and the buffer read afterwards. */
    public static long flaggedFinalN(InputStream in, OutputStream out) throws IOException {
        long chunk = B / 2;
        byte[] buf = new byte[B];
        long pending = size * 2 / 3;
        boolean everything = size < 0;
        int n = 42;
        while (pending > 0 || everything) {
            long toRead = everything ? chunk : Math.min(pending, chunk);
            n = in.read(buf, 0, (int) toRead);
            if (n == -1) {
                break;
            }
            out.write(buf, 0, n);
            if (!everything) {
                pending -= n;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        return pending * 1_000_003L + n * 31L + crc.getValue();
    }

    /** NanoHTTPD's response body, its loop as in NanoHTTPD 2.3.1. */
    public static final class Body {
        private InputStream data;

        Body(InputStream data) {
            this.data = data;
        }

        long send(OutputStream outputStream, long pending) throws IOException {
            long bufferSize = B;
            byte[] buff = new byte[(int) bufferSize];
            boolean sendEverything = pending == -1;
            while (pending > 0 || sendEverything) {
                long bytesToRead = sendEverything ? bufferSize : Math.min(pending, bufferSize);
                int read = this.data.read(buff, 0, (int) bytesToRead);
                if (read <= 0) {
                    break;
                }
                outputStream.write(buff, 0, read);
                if (!sendEverything) {
                    pending -= read;
                }
            }
            return pending;
        }
    }

    /** Jetty's IO.copy: while (true) with a break, reading a constant length; n and the buffer read after. */
    public static long breakChunkFinalN(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while (true) {
            n = in.read(buf, 0, B);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        return n * 31L + crc.getValue();
    }

    /** Reads of half the buffer, a constant; the buffer read after the loop. */
    public static long whileHalfChunks(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        java.util.Arrays.fill(buf, (byte) 5);
        int n;
        while ((n = in.read(buf, 0, B / 2)) != -1) {
            out.write(buf, 0, n);
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        return crc.getValue();
    }

    /** A read length in a local, the read-ahead form, n read after the loop. */
    public static long readAheadLocalChunk(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int len = Math.min(B, 5000);
        long total = 0;
        int n = in.read(buf, 0, len);
        while (n > 0) {
            out.write(buf, 0, n);
            total += n;
            n = in.read(buf, 0, len);
        }
        return total * 31 + n;
    }

    /** while (true) with == -1 and a running total counted before the write. */
    public static long breakOnEofTotal(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long total = 0;
        while (true) {
            int n = in.read(buf);
            if (n == -1) {
                break;
            }
            total += n;
            out.write(buf, 0, n);
        }
        return total;
    }

    /** commons-io's IOUtils.copyLarge and Spark's IOUtils.copy: the constant on the left. */
    public static long constantLeft(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long total = 0;
        int n;
        while (-1 != (n = in.read(buf))) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    /** The constant on the left, the buffer the caller's, n read after. */
    public static long constantLeftBuffer(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        java.util.Arrays.fill(buf, (byte) 3);
        int n;
        while (0 < (n = in.read(buf, 0, buf.length))) {
            out.write(buf, 0, n);
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        return n * 31L + crc.getValue();
    }

    /** Kotlin's InputStream.copyTo: a read before the loop, another at the end of the body. */
    public static long readAhead(InputStream in, OutputStream out) throws IOException {
        long copied = 0;
        byte[] buf = new byte[B];
        int n = in.read(buf);
        while (n >= 0) {
            out.write(buf, 0, n);
            copied += n;
            n = in.read(buf);
        }
        return copied;
    }

    /** The read-ahead form with an int total, n and the buffer read after the loop. */
    public static long readAheadFinalN(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int total = 0;
        int n = in.read(buf);
        while (n != -1) {
            out.write(buf, 0, n);
            total += n;
            n = in.read(buf);
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        return total * 1_000_003L + n * 31L + crc.getValue();
    }

    /** Tomcat's DefaultServlet.copyRange: the read and the write in a try/catch inside the loop. */
    public static long catchInside(InputStream in, OutputStream out) {
        IOException failure = null;
        byte[] buf = new byte[B];
        int n;
        while (true) {
            try {
                n = in.read(buf);
                if (n == -1) {
                    break;
                }
                out.write(buf, 0, n);
            } catch (IOException e) {
                failure = e;
                break;
            }
        }
        return failure == null ? 0 : 1;
    }

    /** Tomcat 9's form: the exception stored, n set to -1, and rethrown after the loop. */
    public static long catchRethrow(InputStream in, OutputStream out) throws IOException {
        IOException failure = null;
        byte[] buf = new byte[B];
        int n = buf.length;
        while (true) {
            try {
                n = in.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            } catch (IOException e) {
                failure = e;
                n = -1;
                break;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return n;
    }

    // ---- shapes that must stay as written ----

    /** The read in a try/catch of its own that retries: no form zc rewrites. */
    public static long catchAroundRead(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while (true) {
            try {
                n = in.read(buf);
            } catch (java.io.InterruptedIOException e) {
                continue;
            }
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return 0;
    }

    /** A handler inside the loop reads n: it would see the value n had before the copy. */
    public static long catchReadsN(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n = 0;
        while (true) {
            try {
                n = in.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            } catch (IOException e) {
                throw new IOException("failed after a read of " + n, e);
            }
        }
        return 0;
    }

    /** Apache FtpServer's transfer loop, reduced: a rate limit and a byte counter around the copy. */
    public static long rateLimited(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long started = System.currentTimeMillis();
        long total = 0;
        while (true) {
            if (total * 1000 / Math.max(1, System.currentTimeMillis() - started) > Long.MAX_VALUE / 2) {
                Thread.onSpinWait();
                continue;
            }
            int n = in.read(buf);
            if (n == -1) {
                break;
            }
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    /** A handler reads the running total: a rewrite could not keep it exact mid-failure. */
    public static long totalReadInHandler(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long total = 0;
        int n;
        try {
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new IOException("failed after " + total + " bytes", e);
        }
        return total;
    }

    public static long progressCallback(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long[] seen = new long[1];
        IntConsumer progress = k -> seen[0] += k;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            progress.accept(n);
        }
        return seen[0];
    }

    /** The read-ahead form with a progress callback: one declined loop, not two. */
    public static long readAheadProgress(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        long[] seen = new long[1];
        IntConsumer progress = k -> seen[0] += k;
        int n = in.read(buf);
        while (n >= 0) {
            out.write(buf, 0, n);
            progress.accept(n);
            n = in.read(buf);
        }
        return seen[0];
    }

    public static long digestInBody(InputStream in, OutputStream out) throws Exception {
        byte[] buf = new byte[B];
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        int n;
        while ((n = in.read(buf)) != -1) {
            md.update(buf, 0, n);
            out.write(buf, 0, n);
        }
        return md.digest()[0];
    }

    public static long conditionalWrite(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[B];
        int n;
        while ((n = in.read(buf)) != -1) {
            if (n > 0) {
                out.write(buf, 0, n);
            }
        }
        return 0;
    }
}
