package zc.demo.httpserver;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import zc.demo.harness.Args;
import zc.demo.harness.Protocol;

/**
 * Scenario: a static-file HTTP/1.1 server written the way many real ones are. Its response body is the classic
 * copy loop, FileInputStream into the socket's OutputStream ({@link #copyBody}): the first target of
 * {@code zc-agent.jar}, which can turn it into sendfile without touching this code.
 *
 * <pre>
 *   java -cp zc-demos.jar zc.demo.httpserver.StaticFileServer --root DIR [--port 8080] [--bind 127.0.0.1]
 *        [--threads 16|virtual] [--buffer 32k] [--idle-timeout 30] [--body read-write|transfer-to|mmap-write|splice]
 * </pre>
 *
 * GET and HEAD, keep-alive, concurrent clients (one pooled thread per connection); paths are confined to the root.
 * {@code --body} other than read-write serves through SocketChannels with a hand-written zero-copy body
 * ({@link Body}), the yardsticks the agent's rewrite is measured against; splice needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}. {@code --idle-timeout 0} waits for idle keep-alive
 * connections without a time limit (no SO_TIMEOUT).
 */
public final class StaticFileServer {
    private final Path root;
    private final int bufferSize;
    private final int idleTimeoutMillis;

    StaticFileServer(Path root, int bufferSize, int idleTimeoutMillis) {
        this.root = root;
        this.bufferSize = bufferSize;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    public static void main(String[] argv) throws IOException {
        Args args;
        Path root;
        Body body;
        StaticFileServer server;
        InetSocketAddress address;
        ExecutorService pool;
        try {
            args = new Args(argv, 0);
            root = Path.of(args.require("root")).toRealPath();
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(root + " is not a directory");
            }
            body = Body.of(args.get("body", Body.READ_WRITE.label()));
            server = new StaticFileServer(root, (int) args.size("buffer", 32 * 1024),
                    Math.multiplyExact(Integer.parseInt(args.get("idle-timeout", "30")), 1000));
            address = new InetSocketAddress(InetAddress.getByName(args.get("bind", "127.0.0.1")),
                    Integer.parseInt(args.get("port", "8080")));
            pool = pool(args.get("threads", "16"));
        } catch (IllegalArgumentException | ArithmeticException | IOException e) {
            System.err.println("StaticFileServer: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (body == Body.READ_WRITE) {
            try (ServerSocket listener = new ServerSocket()) {
                listener.bind(address, 128);
                announce(root, listener.getInetAddress(), listener.getLocalPort(), body);
                while (true) {
                    Socket client = listener.accept();
                    pool.execute(() -> server.serve(client, null));
                }
            }
        }
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(address, 128);
            announce(root, address.getAddress(), listener.socket().getLocalPort(), body);
            while (true) {
                SocketChannel client = listener.accept();
                pool.execute(() -> {
                    try (ChannelBodies bodies = ChannelBodies.open(body, client)) {
                        server.serve(client.socket(), bodies);
                    } catch (IOException e) {
                        System.err.println("StaticFileServer: " + e.getMessage());
                        closeQuietly(client);
                    }
                });
            }
        }
    }

    /** {@code --threads N}: a fixed pool; {@code --threads virtual}: a virtual thread per connection (JDK 21+). */
    private static ExecutorService pool(String threads) {
        if (!threads.equals("virtual")) {
            return Executors.newFixedThreadPool(Integer.parseInt(threads));
        }
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("--threads virtual needs JDK 21 or later (this is "
                    + Runtime.version() + ")");
        }
    }

    private static void announce(Path root, InetAddress address, int port, Body body) {
        System.out.println("StaticFileServer serving " + root + " on http://" + address.getHostAddress() + ":" + port
                + "/ (body: " + body.label() + ")");
        System.out.println(Protocol.LISTENING + port);
        System.out.flush();
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Serves one connection; {@code bodies} null means the read-write loop. */
    void serve(Socket client, ChannelBodies bodies) {
        try (client) {
            client.setSoTimeout(idleTimeoutMillis);
            // as most servers do: without it, a body written after its head waits for the client's delayed ACK
            client.setTcpNoDelay(true);
            // Buffered: request heads are parsed byte by byte, which must not mean a read(2) per byte.
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            HttpRequest request;
            while ((request = HttpRequest.read(in)) != null) {
                respond(request, out, bodies);
                if (!request.keepAlive()) {
                    break;
                }
            }
        } catch (HttpRequest.BadRequest e) {
            // malformed request: the connection is closed, as most servers do after a 400
        } catch (SocketTimeoutException | SocketException e) {
            // idle keep-alive connection, or the client went away
        } catch (IOException e) {
            System.err.println("StaticFileServer: " + e.getMessage());
        }
    }

    private void respond(HttpRequest request, OutputStream out, ChannelBodies bodies) throws IOException {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            status(out, request, 405, "Method Not Allowed");
            return;
        }
        Path file = resolve(request.path());
        if (file == null) {
            status(out, request, 404, "Not Found");
            return;
        }
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            long length = in.getChannel().size();
            headers(out, request, 200, "OK", length, "application/octet-stream");
            if (!request.method().equals("GET")) {
                return;
            }
            if (bodies == null) {
                copyBody(in, out, new byte[bufferSize]);
            } else {
                bodies.send(in, file, length);
            }
        }
    }

    /** The loop zc rewrites: the whole body, FileInputStream -> socket, through a user buffer. */
    static void copyBody(InputStream in, OutputStream out, byte[] buf) throws IOException {
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
    }

    /** The regular, readable file under the root that a request path names, or null. */
    private Path resolve(String requestPath) {
        Path file = root.resolve(requestPath.replaceFirst("^/+", "")).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            return null;
        }
        return file;
    }

    private static void status(OutputStream out, HttpRequest request, int code, String reason) throws IOException {
        byte[] body = (code + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
        headers(out, request, code, reason, body.length, "text/plain");
        if (!request.method().equals("HEAD")) {
            out.write(body);
        }
    }

    private static void headers(OutputStream out, HttpRequest request, int code, String reason, long length,
                                String type) throws IOException {
        String head = "HTTP/1.1 " + code + " " + reason + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Connection: " + (request.keepAlive() ? "keep-alive" : "close") + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
    }
}
