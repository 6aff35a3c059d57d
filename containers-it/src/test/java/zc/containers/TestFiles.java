package zc.containers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Test files of random bytes, every MiB different: a chunk sent twice or out of order shows. */
public final class TestFiles {
    private static final int MIB = 1 << 20;

    private TestFiles() {
    }

    public static void write(Path file, int size, Random random) throws IOException {
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(left, block.length));
            }
        }
    }
}
