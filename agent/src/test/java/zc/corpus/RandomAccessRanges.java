package zc.corpus;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * A byte range served from a RandomAccessFile, the way hand-written range handlers do it: {@code seek} to the start,
 * then a bounded read/write loop. Each case prints the bytes copied, the file pointer after the loop and the CRC of
 * what was written, so that runs with and without zc can be compared: a range inside the file, a range running past
 * its end, and a RandomAccessFile subclass.
 */
public final class RandomAccessRanges {
    static final int SIZE = (4 << 20) + 5;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("raf-source.bin");
        byte[] content = new byte[SIZE];
        new Random(42).nextBytes(content);
        Files.write(src, content);
        run("inside", new RandomAccessFile(src.toFile(), "r"), 1000, 3 << 20, dir);
        run("pastEnd", new RandomAccessFile(src.toFile(), "r"), SIZE - 200_000, 1 << 20, dir);
        run("subclass", new CountingFile(src), 1000, 3 << 20, dir);
        inTry(src, dir);
        System.out.println("failing " + failing(dir));
    }

    /**
     * The range loop inside try-with-resources and inside try/finally, each method opening the file itself: the
     * pointer is read inside the try and in the finally block.
     */
    private static void inTry(Path src, Path dir) throws IOException {
        Path target = dir.resolve("raf-tryWithResources.bin");
        long pointer;
        try (OutputStream out = new FileOutputStream(target.toFile())) {
            pointer = copyRangeInTry(src.toFile(), 1000, 3 << 20, out);
        }
        print("tryWithResources", target, pointer);
        target = dir.resolve("raf-tryFinally.bin");
        long[] seen = {-1};
        try (OutputStream out = new FileOutputStream(target.toFile())) {
            copyRangeFinally(src.toFile(), SIZE - 200_000, 1 << 20, out, seen);
        }
        print("tryFinally", target, seen[0]);
    }

    private static void print(String name, Path target, long pointer) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(target));
        System.out.println(name + " bytes=" + Files.size(target) + " pointer=" + pointer + " crc=" + crc.getValue());
    }

    static long copyRangeInTry(java.io.File file, long start, long count, OutputStream out) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
            raf.seek(start);
            byte[] buf = new byte[8192];
            long remaining = count;
            while (remaining > 0) {
                int n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            return raf.getFilePointer();
        }
    }

    static void copyRangeFinally(java.io.File file, long start, long count, OutputStream out, long[] pointer)
            throws IOException {
        RandomAccessFile raf = new RandomAccessFile(file, "r");
        try {
            raf.seek(start);
            byte[] buf = new byte[8192];
            long remaining = count;
            while (remaining > 0) {
                int n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
        } finally {
            pointer[0] = raf.getFilePointer();
            raf.close();
        }
    }

    /**
     * A range of a 64 MiB (sparse) file into a socket whose peer resets the connection after 1 MiB: the copy fails
     * part-way, and the exception reaches the catch after try-with-resources closed the file.
     */
    private static String failing(Path dir) throws Exception {
        Path big = dir.resolve("raf-big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(64 << 20);
        }
        try (java.net.ServerSocket server = new java.net.ServerSocket(0)) {
            Thread peer = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    java.io.InputStream i = s.getInputStream();
                    byte[] b = new byte[16 * 1024];
                    long total = 0;
                    for (int k; total < (1 << 20) && (k = i.read(b)) != -1; ) {
                        total += k;
                    }
                    s.setSoLinger(true, 0); // the close resets the connection
                } catch (IOException e) {
                    // the sender went away first: nothing to check here
                }
            });
            peer.start();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.getLocalPort())) {
                String outcome = copyRangeCaught(big.toFile(), 100, (64 << 20) - 200, s.getOutputStream());
                peer.join();
                return outcome;
            }
        }
    }

    static String copyRangeCaught(java.io.File file, long start, long count, OutputStream out) {
        RandomAccessFile raf;
        try {
            raf = new RandomAccessFile(file, "r");
        } catch (IOException e) {
            return "cannot open: " + e;
        }
        try (raf) {
            raf.seek(start);
            byte[] buf = new byte[8192];
            long remaining = count;
            while (remaining > 0) {
                int n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
            return "completed";
        } catch (IOException e) {
            return "threw=" + e.getClass().getName() + " closedBeforeCatch=" + !raf.getChannel().isOpen();
        }
    }

    private static void run(String name, RandomAccessFile raf, long start, long count, Path dir) throws IOException {
        Path target = dir.resolve("raf-" + name + ".bin");
        long pointer;
        try (raf; OutputStream out = new FileOutputStream(target.toFile())) {
            copyRange(raf, start, count, out);
            pointer = raf.getFilePointer();
        }
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(target));
        System.out.println(name + " bytes=" + Files.size(target) + " pointer=" + pointer + " crc=" + crc.getValue());
    }

    static void copyRange(RandomAccessFile raf, long start, long count, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        raf.seek(start);
        long remaining = count;
        while (remaining > 0) {
            int n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            remaining -= n;
        }
    }

    /** A range loop of a form zc does not rewrite (a try/catch inside): declined, with that reason. */
    static void copyRangeRetrying(RandomAccessFile raf, long start, long count, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        raf.seek(start);
        long remaining = count;
        while (remaining > 0) {
            int n;
            try {
                n = raf.read(buf, 0, (int) Math.min(buf.length, remaining));
            } catch (java.io.InterruptedIOException e) {
                continue;
            }
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            remaining -= n;
        }
    }

    /** A subclass that sees every read: zc must leave its loop alone. */
    static final class CountingFile extends RandomAccessFile {
        long reads;

        CountingFile(Path file) throws IOException {
            super(file.toFile(), "r");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return super.read(b, off, len);
        }
    }
}
