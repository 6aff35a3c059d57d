package zc.demo.strategy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Lesson 7: file -> file with {@code FileChannel.transferTo}. The kernel copies between the two files' page caches
 * itself: JDK 17 issues sendfile(2), JDK 25 copy_file_range(2), which on filesystems with reflinks (XFS, Btrfs)
 * may share the blocks and copy nothing at all.
 *
 * <pre>
 *   source page cache ──CPU copy (in kernel)──> target page cache    1 call, 2 mode switches
 * </pre>
 *
 * One trap of JDK 17 (fixed in 22): a single unsupported case, such as an append-mode target, sets a static flag
 * and every later file -> file transferTo in that JVM falls back to mmap + write.
 */
public final class Demo07FileTransfer implements FileCopier {

    @Override
    public void copy(Path source, Path target, DemoOptions options) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                long n = in.transferTo(pos, size - pos, out);
                if (n <= 0) {
                    break; // the file shrank: the integrity check will show the shortfall
                }
                pos += n;
            }
        }
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("jdk", Runtime.version().toString());
    }
}
