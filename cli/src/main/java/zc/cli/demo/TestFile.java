package zc.cli.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.demo.harness.Sizes;

/**
 * The file every demo sends: pseudo-random bytes (incompressible, reproducible from the size) cached between runs as
 * {@code demo-<size>.bin}, written under a temporary name and renamed so an interrupted run never leaves a bad one.
 */
final class TestFile {
    private static final int BLOCK = 1 << 20;
    /** Room kept free beyond what the demo writes, so zc never fills a disk to the last block. */
    static final long MARGIN = 64L << 20;

    private TestFile() {
    }

    /**
     * The cached file of this size, generated when missing. {@code extraBytes} is what the run will write besides
     * (file -> file copies): both must fit.
     */
    static Path ensure(Path dir, long size, long extraBytes, Progress progress) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("demo-" + size + ".bin");
            boolean cached = Files.isRegularFile(file) && Files.size(file) == size;
            long needed = (cached ? 0 : size) + extraBytes + MARGIN;
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (usable < needed) {
                throw new ZcException(ExitCodes.UNSUPPORTED, "no room for the test file: " + Sizes.format(needed)
                        + " needed in " + dir + ", " + Sizes.format(usable) + " free (use a smaller --size or --cache DIR)");
            }
            if (!cached) {
                generate(file, size, progress);
            }
            return file;
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "cannot prepare the test file in " + dir + ": " + e.getMessage());
        }
    }

    private static void generate(Path file, long size, Progress progress) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        SplittableRandom random = new SplittableRandom(size);
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; ) {
                block.clear();
                while (block.remaining() >= Long.BYTES) {
                    block.putLong(random.nextLong());
                }
                block.flip().limit((int) Math.min(BLOCK, size - written));
                while (block.hasRemaining()) {
                    written += out.write(block);
                }
                progress.update("generating " + Sizes.format(size) + " test file", written, size);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        progress.done();
    }

    /**
     * Loads the whole file into the page cache, in the same state on every run (see {@link PageCache}), so every
     * strategy reads memory, not the disk.
     */
    static void warm(Path file, Progress progress) {
        try {
            if (PageCache.reload(file, Files.size(file), progress)) {
                return;
            }
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "cannot read the test file " + file + ": " + e.getMessage());
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long done = 0;
            for (int n; (n = in.read(buf.clear())) > 0; ) {
                done += n;
                progress.update("warming the page cache", done, size);
            }
            progress.done();
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "cannot read the test file " + file + ": " + e.getMessage());
        }
    }
}
