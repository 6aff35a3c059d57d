package zc.demo.strategy;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lesson 6: file -> file through a user buffer. Lesson 1 again with a file as the sink:
 *
 * <pre>
 *   source page cache ──CPU copy──> user buffer        read(2)   2 mode switches
 *   user buffer ──CPU copy──> target page cache        write(2)  2 mode switches
 * </pre>
 *
 * 2 CPU copies per chunk (plus Java's heap<->native copies), 2 system calls, 4 mode switches; the disks' DMA comes
 * later, when the kernel reads the source in and writes the target back.
 */
public final class Demo06FileReadWrite implements FileCopier {
    private int bufferSize;

    @Override
    public void copy(Path source, Path target, DemoOptions options) throws IOException {
        bufferSize = options.bufferBytes();
        try (FileInputStream in = new FileInputStream(source.toFile());
             FileOutputStream out = new FileOutputStream(target.toFile())) {
            byte[] buf = new byte[bufferSize];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("bufferBytes", bufferSize);
    }
}
