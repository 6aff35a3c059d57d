package zc.session.matrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/** The benchmarks' test files: random bytes from a fixed seed (the size), made once and kept in a folder. */
public final class TestFiles {
    private TestFiles() {
    }

    public static Path write(Path dir, List<Long> sizes, LongFunction<String> name, Consumer<String> progress)
            throws IOException {
        Files.createDirectories(dir);
        for (long size : sizes) {
            Path f = dir.resolve(name.apply(size));
            if (Files.isRegularFile(f) && Files.size(f) == size) {
                continue;
            }
            progress.accept("writing " + f + " (" + MatrixTable.size(size) + ")");
            SplittableRandom random = new SplittableRandom(size);
            byte[] chunk = new byte[1 << 20];
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                for (long left = size; left > 0; ) {
                    random.nextBytes(chunk);
                    int n = (int) Math.min(chunk.length, left);
                    ch.write(ByteBuffer.wrap(chunk, 0, n));
                    left -= n;
                }
                ch.force(true); // written back now, not during the measured runs
            }
        }
        return dir;
    }
}
