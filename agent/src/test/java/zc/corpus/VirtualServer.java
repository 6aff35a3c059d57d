package zc.corpus;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A file server that serves every connection on its own virtual thread (JDK 21+) with a copy loop, as Helidon 4
 * or Tomcat with a virtual-thread executor do: {@code VirtualServer <file>} prints {@code PORT <n>} and serves the
 * file whole to each client. Send buffers are small (64 KiB) so that a client that does not read blocks its
 * sender at once.
 */
public final class VirtualServer {
    private VirtualServer() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        ExecutorService threads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try (ServerSocket server = new ServerSocket(0, 4096)) {
            System.out.println("PORT " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                threads.execute(() -> serve(s, file));
            }
        }
    }

    private static void serve(Socket s, Path file) {
        try (s; InputStream in = new FileInputStream(file.toFile())) {
            s.setSendBufferSize(64 << 10);
            Loops.longTotal(in, s.getOutputStream());
        } catch (IOException clientGone) {
            // a client that closed early: nothing to serve
        }
    }
}
