package zc.demo.strategy;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Lesson 2: mmap + write. The file's page cache pages are mapped into the process; write(2) copies from them
 * straight into the socket buffer, so the copy into a user buffer of lesson 1 is gone.
 *
 * <pre>
 *   page cache ══mapped══> process address space    mmap(2) once per region; then one page fault per
 *                                                   fault-around block (64 KiB) the first time it is touched
 *   mapped pages ──CPU copy──> socket send buffer    write(2)  2 mode switches
 *   socket buffer ──DMA──> NIC
 * </pre>
 *
 * Per chunk: 1 CPU copy, 2 DMA copies, 1 write (plus mmap/munmap per region). The price moves to page faults:
 * about 16,400 minor faults per GiB, where read+write has almost none. A file truncated by another process while
 * mapped turns the next access into SIGBUS ({@code InternalError} in Java, EFAULT from write): the classic hazard of
 * this strategy.
 *
 * <p>{@code chunk=0} maps the whole file (in pieces of at most 2 GiB - 1, the limit of one MappedByteBuffer);
 * a positive chunk maps and writes region by region.
 */
public final class Demo02MmapWrite extends ChannelSender {
    private static final long MAX_MAPPING = Integer.MAX_VALUE;

    @Override
    public void send(Path file) throws IOException {
        long region = options.chunkBytes() > 0 ? Math.min(options.chunkBytes(), MAX_MAPPING) : MAX_MAPPING;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            for (long pos = 0; pos < size; pos += region) {
                MappedByteBuffer mapped = in.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(region, size - pos));
                while (mapped.hasRemaining()) {
                    socket.write(mapped);
                }
            }
        }
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("chunkBytes", options.chunkBytes() > 0 ? options.chunkBytes() : "whole file");
    }
}
