package zc.corpus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server on the JDK's {@code com.sun.net.httpserver} with handlers as applications write them, for JdkHttpServerIT:
 * <ul>
 *   <li>{@code /loop/F}: Content-Length, then a copy loop from {@code Files.newInputStream} into the response body;</li>
 *   <li>{@code /fis/F}: the same from a FileInputStream;</li>
 *   <li>{@code /range/F?first&length}: a 206 response: skip, then a bounded loop of the range's length;</li>
 *   <li>{@code /chunked/F}: length 0 (chunked), the same loop;</li>
 *   <li>{@code /short/F}: a Content-Length 10 bytes larger than the file (a file truncated after its size was
 *       taken): the server closes the exchange with "insufficient bytes written to stream";</li>
 *   <li>{@code /transferTo/F}: {@code Files.newInputStream(path).transferTo(responseBody)} in the handler;</li>
 *   <li>{@code /files/F}: the JDK's own file handler ({@code SimpleFileServer.createFileHandler}, JDK 18+).</li>
 * </ul>
 * A second argument {@code virtual} runs each exchange on a virtual thread of its own (JDK 21+).
 * Prints {@code PORT n}; {@code /stop} stops the server and exits (the agent's statistics are written at exit).
 */
public final class JdkHttpApp {
    private static Path dir;

    private JdkHttpApp() {
    }

    public static void main(String[] args) throws Exception {
        dir = Path.of(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        if (args.length > 1 && args[1].equals("virtual")) { // JDK 21+, named by reflection: the corpus is built for 17
            server.setExecutor((java.util.concurrent.Executor) java.util.concurrent.Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null));
        }
        server.createContext("/loop/", e -> fixed(e, Files.newInputStream(file(e)), 0));
        server.createContext("/fis/", e -> fixed(e, new FileInputStream(file(e).toFile()), 0));
        server.createContext("/short/", e -> fixed(e, Files.newInputStream(file(e)), 10));
        server.createContext("/chunked/", JdkHttpApp::chunked);
        server.createContext("/range/", JdkHttpApp::range);
        server.createContext("/transferTo/", JdkHttpApp::transferTo);
        if (Runtime.version().feature() >= 18) {
            server.createContext("/files/", (HttpHandler) Class.forName("com.sun.net.httpserver.SimpleFileServer")
                    .getMethod("createFileHandler", Path.class).invoke(null, dir.toAbsolutePath()));
        }
        server.createContext("/stop", e -> {
            e.sendResponseHeaders(200, -1);
            e.close();
            new Thread(() -> {
                server.stop(0);
                System.exit(0);
            }).start();
        });
        server.start();
        System.out.println("PORT " + server.getAddress().getPort());
    }

    private static Path file(HttpExchange e) {
        String p = e.getRequestURI().getPath();
        return dir.resolve(p.substring(p.indexOf('/', 1) + 1));
    }

    /** Content-Length = the file's size + {@code extra}, then the loop. */
    private static void fixed(HttpExchange e, InputStream in, long extra) throws IOException {
        try (in; OutputStream out = e.getResponseBody()) {
            e.sendResponseHeaders(200, Files.size(file(e)) + extra);
            copy(in, out);
        }
    }

    private static void transferTo(HttpExchange e) throws IOException {
        Path f = file(e);
        e.sendResponseHeaders(200, Files.size(f));
        try (InputStream in = Files.newInputStream(f); OutputStream out = e.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private static void chunked(HttpExchange e) throws IOException {
        try (InputStream in = Files.newInputStream(file(e)); OutputStream out = e.getResponseBody()) {
            e.sendResponseHeaders(200, 0);
            copy(in, out);
        }
    }

    private static void range(HttpExchange e) throws IOException {
        String[] q = URI.create(e.getRequestURI().toString()).getQuery().split("&");
        long first = Long.parseLong(q[0]);
        long remaining = Long.parseLong(q[1]);
        try (InputStream in = Files.newInputStream(file(e)); OutputStream out = e.getResponseBody()) {
            e.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + (first + remaining - 1) + "/"
                    + Files.size(file(e)));
            e.sendResponseHeaders(206, remaining);
            in.skip(first);
            // in a method of its own: the same loop written here, inside try-with-resources, is declined today
            Ranges.bounded(in, out, remaining);
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
    }
}
