package zc.demo.broker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The broker's protocol: ASCII command lines, then raw bytes.
 *
 * <pre>
 *   PRODUCE n\n + n bytes      -> OK offset\n
 *   FETCH offset max\n         -> DATA n\n + n bytes of the log from offset (n = min(max, end - offset))
 *   END\n                      -> END offset\n
 *   anything wrong             -> ERR message\n
 * </pre>
 */
final class Wire {
    private static final int MAX_LINE = 1024;

    private Wire() {
    }

    /** One line without its '\n'; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() >= MAX_LINE) {
                throw new IOException("line too long");
            }
            b.append((char) c);
        }
        if (b.length() == 0) {
            return null;
        }
        throw new EOFException("connection closed mid-line");
    }

    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("connection closed after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    static void writeLine(WritableByteChannel out, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
