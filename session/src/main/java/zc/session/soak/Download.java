package zc.session.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * One HTTP GET of the soak, of one kind: read the whole body, or give up part-way with a close (abort) or a reset
 * (SO_LINGER 0). Each request asks for {@code Connection: close}, so the body ends where the server stops.
 */
final class Download {
    enum Kind { WHOLE, ABORT, RESET }

    /**
     * What one download ended as. CUT_CORRUPT: wrong bytes from a file cut in place while it was served, the
     * difference docs/agent.md names (sendfile's queued pages), in a body that looks whole (or in the part a client
     * kept before giving up); CUT_CORRUPT_SHORT: the same in a body that ended before its Content-Length (the copy
     * failed loudly, the client can tell); CORRUPT: wrong bytes from any other file, a bug.
     */
    enum Outcome { INTACT, SHORT, CORRUPT, CUT_CORRUPT, CUT_CORRUPT_SHORT, ABORTED, RESET, FAILED }

    private Download() {
    }

    static Outcome run(InetSocketAddress server, SoakFiles files, String name, Kind kind, Random random) {
        try (Socket s = new Socket()) {
            s.connect(server, 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /" + name + " HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            long length = contentLength(in);
            if (length < 0) {
                return Outcome.FAILED;
            }
            long stopAt = kind == Kind.WHOLE ? length : length == 0 ? 0 : random.nextLong(length);
            ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(stopAt, 1 << 24));
            byte[] buf = new byte[64 << 10];
            while (body.size() < stopAt) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, stopAt - body.size()));
                if (n < 0) {
                    break;
                }
                body.write(buf, 0, n);
            }
            byte[] got = body.toByteArray();
            if (files.firstWrongByte(name, got, got.length) >= 0) {
                return !name.startsWith("cut-") ? Outcome.CORRUPT
                        : kind == Kind.WHOLE && got.length < length ? Outcome.CUT_CORRUPT_SHORT : Outcome.CUT_CORRUPT;
            }
            if (kind == Kind.RESET) {
                s.setSoLinger(true, 0);
                return Outcome.RESET;
            }
            if (kind == Kind.ABORT) {
                return Outcome.ABORTED;
            }
            return got.length == length ? Outcome.INTACT : Outcome.SHORT;
        } catch (IOException e) {
            return Outcome.FAILED;
        }
    }

    /** Reads the response head; its Content-Length, or -1 when the status is not 200. */
    private static long contentLength(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            head.append((char) b);
        }
        String h = head.toString();
        if (!h.startsWith("HTTP/1.1 200")) {
            return -1;
        }
        for (String line : h.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Long.parseLong(line.substring(15).strip());
            }
        }
        return -1;
    }
}
