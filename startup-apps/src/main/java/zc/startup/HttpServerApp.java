package zc.startup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small application of {@code zc bench startup}: the JDK's own HTTP server serving the files of one folder with
 * a read/write loop, the copy zc rewrites. Prints {@code port N} once it listens. With
 * {@code -Dzc.startup.exitAfterFirst=true} it exits after its first response (a training run for a class-data
 * archive, which the JVM writes at exit).
 */
public final class HttpServerApp {
    private HttpServerApp() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]).toAbsolutePath();
        boolean exitAfterFirst = Boolean.getBoolean("zc.startup.exitAfterFirst");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            serve(root, exchange);
            if (exitAfterFirst) {
                new Thread(() -> System.exit(0)).start();
            }
        });
        server.start();
        System.out.println("port " + server.getAddress().getPort());
    }

    private static void serve(Path root, HttpExchange exchange) throws IOException {
        Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(200, Files.size(file));
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            byte[] buf = new byte[32 * 1024];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
    }
}
