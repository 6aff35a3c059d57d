package zc.demo.httpserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The request line and the one header the server cares about (Connection); bodies are not read. */
record HttpRequest(String method, String path, boolean keepAlive) {
    private static final int MAX_HEAD = 16 * 1024;

    static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** The next request on the connection, or null at end of stream. */
    static HttpRequest read(InputStream in) throws IOException {
        String requestLine = line(in, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest("bad request line");
        }
        boolean keepAlive = parts[2].equals("HTTP/1.1");
        for (String header; !(header = line(in, false)).isEmpty(); ) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:")) {
                String value = lower.substring("connection:".length()).strip();
                keepAlive = value.equals("keep-alive") || (keepAlive && !value.equals("close"));
            }
        }
        return new HttpRequest(parts[0], decodePath(parts[1]), keepAlive);
    }

    private static String decodePath(String target) throws BadRequest {
        try {
            String path = new URI(target).getPath();
            if (path == null || !path.startsWith("/")) {
                throw new BadRequest("bad path");
            }
            return path;
        } catch (URISyntaxException e) {
            throw new BadRequest("bad path");
        }
    }

    /** One CRLF-terminated line of ASCII (the char cast is exact for it); null at end of stream before any byte when {@code eofAllowed}. */
    private static String line(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            if (b.length() >= MAX_HEAD) {
                throw new BadRequest("header too long");
            }
            b.append((char) c);
        }
        if (eofAllowed && b.length() == 0) {
            return null;
        }
        throw new BadRequest("truncated request");
    }
}
