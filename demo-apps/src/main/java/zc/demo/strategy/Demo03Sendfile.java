package zc.demo.strategy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Lesson 3: sendfile. {@code FileChannel.transferTo} into a {@code SocketChannel} becomes sendfile(2): the kernel
 * moves page cache data into the socket itself, and the bytes never enter the process.
 *
 * <pre>
 *   page cache ──CPU copy──> socket send buffer      sendfile(2)  2 mode switches, for the whole file
 *   socket buffer ──DMA──> NIC
 * </pre>
 *
 * 1 CPU copy, 2 DMA copies, 1 system call for up to 2 GiB (the JDK caps one call at 0x7ffff000 bytes and loops;
 * it returns early when the socket buffer is full in non-blocking mode). /proc/PID/io counts a sendfile as one
 * syscr and one syscw; rchar and wchar still grow by the bytes moved.
 *
 * <p>JDK 25 first tries copy_file_range, gets EINVAL for a socket, then uses sendfile.
 */
public class Demo03Sendfile extends ChannelSender {

    @Override
    public void send(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                long n = in.transferTo(pos, size - pos, socket);
                if (n <= 0) {
                    break; // the file shrank: the receiver's count will show the shortfall
                }
                pos += n;
            }
        }
    }
}
