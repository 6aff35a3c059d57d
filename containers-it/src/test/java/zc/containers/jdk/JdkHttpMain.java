package zc.containers.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code com.sun.net.httpserver} serving {@code /files/NAME} from a folder as a handler written by an
 * application does: Content-Length from the file's size, then the classic 8 KiB copy loop from a FileInputStream
 * into {@code exchange.getResponseBody()}. A cached thread pool as the executor (the default one runs every
 * exchange on the dispatcher thread, one client at a time). The JDK has no zero-copy path of its own here
 * (SimpleFileServer copies through a buffer too). Arguments: root folder. Prints {@code PORT n} when ready.
 */
public final class JdkHttpMain {
    private JdkHttpMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/files/", e -> serve(e, root));
        server.start();
        System.out.println("PORT " + server.getAddress().getPort());
    }

    private static void serve(HttpExchange e, Path root) throws IOException {
        String path = e.getRequestURI().getPath();
        File file = root.resolve(path.substring(path.lastIndexOf('/') + 1)).toFile();
        if (!file.isFile()) {
            e.sendResponseHeaders(404, -1);
            e.close();
            return;
        }
        e.getResponseHeaders().set("Content-Type", "application/octet-stream");
        e.sendResponseHeaders(200, file.length());
        try (InputStream in = new FileInputStream(file); OutputStream out = e.getResponseBody()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
    }
}
