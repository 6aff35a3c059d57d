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
 *        [--threads 16] [--buffer 32k]
 * </pre>
 *
 * GET and HEAD, keep-alive, concurrent clients (one pooled thread per connection); paths are confined to the root.
 */
public final class StaticFileServer {
    private static final int IDLE_TIMEOUT_MILLIS = 30_000;

    private final Path root;
    private final int bufferSize;

    StaticFileServer(Path root, int bufferSize) {
        this.root = root;
        this.bufferSize = bufferSize;
    }

    public static void main(String[] argv) throws IOException {
        Args args;
        Path root;
        try {
            args = new Args(argv, 0);
            root = Path.of(args.require("root")).toRealPath();
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(root + " is not a directory");
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("StaticFileServer: " + e.getMessage());
            System.exit(2);
            return;
        }
        StaticFileServer server = new StaticFileServer(root, (int) args.size("buffer", 32 * 1024));
        ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(args.get("threads", "16")));
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName(args.get("bind", "127.0.0.1")),
                    Integer.parseInt(args.get("port", "8080"))), 128);
            System.out.println("StaticFileServer serving " + root + " on http://"
                    + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort() + "/");
            System.out.println(Protocol.LISTENING + listener.getLocalPort());
            System.out.flush();
            while (true) {
                Socket client = listener.accept();
                pool.execute(() -> server.serve(client));
            }
        }
    }

    void serve(Socket client) {
        try (client) {
            client.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            // Buffered: request heads are parsed byte by byte, which must not mean a read(2) per byte.
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            HttpRequest request;
            while ((request = HttpRequest.read(in)) != null) {
                respond(request, out);
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

    private void respond(HttpRequest request, OutputStream out) throws IOException {
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
            if (request.method().equals("GET")) {
                copyBody(in, out, new byte[bufferSize]);
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
