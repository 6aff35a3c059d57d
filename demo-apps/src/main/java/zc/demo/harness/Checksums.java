package zc.demo.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** CRC32C (hardware-accelerated on x86-64 and arm64) of everything a demo sent or received, as hex. */
public final class Checksums {
    private Checksums() {
    }

    public static String of(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buf.clear()) >= 0) {
                crc.update(buf.flip());
            }
        }
        return hex(crc);
    }

    public static String hex(CRC32C crc) {
        return String.format("crc32c:%08x", crc.getValue());
    }
}
