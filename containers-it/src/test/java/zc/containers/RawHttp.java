package zc.containers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An HTTP/1.1 client that keeps the response as it came off the wire (status line, headers but Date, body with its
 * chunk framing), so that two servers' answers compare byte for byte. Bodies are kept as length and SHA-256, and
 * optionally the decoded bytes; requests go on one kept-alive connection.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = socket.getOutputStream();
    }

    /** One exchange: the head as sent (Date removed), the raw body's length and digest, the decoded body's digest. */
    public record Answer(String head, long rawLength, String rawDigest, long bodyLength, String bodyDigest) {
    }

    public Socket socket() {
        return socket;
    }

    public InputStream in() {
        return in;
    }

    public void send(String method, String path, String... headers) throws IOException {
        StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        out.write(b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public Answer exchange(String method, String path, String... headers) throws IOException {
        send(method, path, headers);
        return read(method.equals("HEAD"));
    }

    /** Reads the status line and headers; the Date header is left out (it differs from run to run). */
    public String head() throws IOException {
        StringBuilder head = new StringBuilder();
        for (String line = line(); !line.isEmpty(); line = line()) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("date:")) {
                head.append(line).append('\n');
            }
        }
        return head.toString();
    }

    public Answer read(boolean head) throws IOException {
        String h = head();
        MessageDigest raw = sha();
        MessageDigest body = sha();
        long[] lengths = new long[2];
        String lower = h.toLowerCase(Locale.ROOT);
        if (head || h.startsWith("HTTP/1.1 304") || h.startsWith("HTTP/1.1 204")) {
            return new Answer(h, 0, hex(raw), 0, hex(body));
        }
        if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                String size = line();
                update(raw, lengths, 0, (size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                copy(n, raw, body, lengths);
                String crlf = line();
                update(raw, lengths, 0, (crlf + "\r\n").getBytes(StandardCharsets.US_ASCII));
                if (n == 0) {
                    break;
                }
            }
        } else {
            long length = Long.parseLong(value(lower, "content-length"));
            copy(length, raw, body, lengths);
        }
        return new Answer(h, lengths[0], hex(raw), lengths[1], hex(body));
    }

    private void copy(long n, MessageDigest raw, MessageDigest body, long[] lengths) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (n > 0) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (k < 0) {
                throw new IOException("connection closed with " + n + " body bytes to come");
            }
            raw.update(buf, 0, k);
            body.update(buf, 0, k);
            lengths[0] += k;
            lengths[1] += k;
            n -= k;
        }
    }

    private static void update(MessageDigest d, long[] lengths, int which, byte[] b) {
        d.update(b);
        lengths[which] += b.length;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed in a header line");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String value(String head, String name) {
        for (String l : head.split("\n")) {
            if (l.startsWith(name + ":")) {
                return l.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in " + head);
    }

    public static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
