package zc.demo.strategy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The end of every network lesson: after the sender half-closes, the receiver answers with the number of bytes it
 * got, as 8 big-endian bytes. Waiting for it makes the sender's wall time cover the whole transfer, not only the
 * filling of its socket buffer.
 */
final class Acks {
    private Acks() {
    }

    static long read(ReadableByteChannel in) throws IOException {
        ByteBuffer ack = ByteBuffer.allocate(Long.BYTES);
        while (ack.hasRemaining()) {
            if (in.read(ack) < 0) {
                throw new EOFException("receiver closed without confirming the byte count");
            }
        }
        return ack.flip().getLong();
    }
}
