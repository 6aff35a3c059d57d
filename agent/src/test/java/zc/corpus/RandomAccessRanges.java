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
