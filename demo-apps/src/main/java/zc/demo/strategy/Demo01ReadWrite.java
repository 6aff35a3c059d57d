package zc.demo.strategy;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lesson 1: read + write, the loop every Java server starts with.
 *
 * <pre>
 *   page cache ──CPU copy──> user buffer            read(2)   2 mode switches (user -> kernel -> user)
 *   user buffer ──CPU copy──> socket send buffer     write(2)  2 mode switches
 *   socket buffer ──DMA──> NIC                       (disk ──DMA──> page cache when the file is not cached)
 * </pre>
 *
 * Per chunk of {@code buffer} bytes: 2 system calls, 4 mode switches, 2 CPU copies, 2 DMA copies. With a 64 KiB
 * buffer a 1 GiB file costs 16,384 reads and 16,384 writes; /proc/PID/io shows them as syscr and syscw.
 *
 * <p>Java adds copies of its own: {@code FileInputStream.read(byte[])} reads into a native buffer (malloc'd when it
 * is larger than 8 KiB) and copies it into the heap array; the socket stream copies the heap array into a temporary
 * direct buffer before write(2). So the loop below makes four memory copies per byte, two of them in user space.
 *
 * <p>This is the loop {@code zc-agent.jar} finds and rewrites; the next lessons are what it can become.
 */
public final class Demo01ReadWrite implements NetworkSender {
    private Socket socket;
    private int bufferSize;

    @Override
    public void connect(InetSocketAddress receiver, DemoOptions options) throws IOException {
        bufferSize = options.bufferBytes();
        socket = new Socket(receiver.getAddress(), receiver.getPort());
    }

    @Override
    public void send(Path file) throws IOException {
        OutputStream out = socket.getOutputStream();
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            byte[] buf = new byte[bufferSize];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
    }

    @Override
    public long finish() throws IOException {
        socket.shutdownOutput();
        return Acks.read(Channels.newChannel(socket.getInputStream()));
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("bufferBytes", bufferSize);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
