package zc.corpus;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * A file copy whose buffer is the caller's ({@link Loops#bufferParameter}), so the rewrite leaves in it what the
 * loop's last reads would have; run under {@code -XX:MaxDirectMemorySize=0}, where the JDK refuses any direct buffer.
 * Prints the count, whether the copy is equal, and the buffer's final contents as a hash.
 */
public final class DirectMemoryApp {
    private DirectMemoryApp() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("dm-source.bin");
        Path dst = dir.resolve("dm-target.bin");
        byte[] data = new byte[(1 << 20) + 12345]; // not a multiple of the buffer: the last read is short
        new Random(7).nextBytes(data);
        try (OutputStream o = new FileOutputStream(src.toFile())) { // streams: Files' channels take direct buffers
            o.write(data);
        }
        byte[] buf = new byte[8192];
        long n;
        try (InputStream in = new FileInputStream(src.toFile());
             OutputStream out = new FileOutputStream(dst.toFile())) {
            n = Loops.bufferParameter(in, out, buf);
        }
        byte[] copy;
        try (InputStream i = new FileInputStream(dst.toFile())) {
            copy = i.readAllBytes();
        }
        System.out.println("copied=" + n + " equal=" + Arrays.equals(data, copy) + " buffer=" + Arrays.hashCode(buf));
    }
}
