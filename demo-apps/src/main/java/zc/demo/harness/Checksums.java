package zc.demo.harness;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** CRC32C (hardware-accelerated on x86-64 and arm64) of everything a demo sent or received, as hex. */
public final class Checksums {
    private Checksums() {
    }

    /**
     * Reads the file through a mapping: no read(2) copies it out of the page cache, so a profile of a process that
     * checks its file this way shows no kernel copy frames for it.
     */
    public static String of(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            for (long pos = 0; pos < size; pos += MAP_CHUNK) {
                crc.update(in.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(MAP_CHUNK, size - pos)));
            }
        }
        return hex(crc);
    }

    private static final long MAP_CHUNK = 1L << 30;

    public static String hex(CRC32C crc) {
        return String.format("crc32c:%08x", crc.getValue());
    }
}
