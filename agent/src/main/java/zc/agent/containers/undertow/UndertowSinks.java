package zc.agent.containers.undertow;

import java.io.OutputStream;
import zc.agent.containers.Members;
import zc.agent.rt.BufferedFlush;
import zc.agent.rt.SinkFamily;

/**
 * Undertow's servlet response stream, {@code io.undertow.servlet.spec.ServletOutputStreamImpl}: the bytes go by the
 * response channel's own {@code transferFrom(FileChannel, position, count)}, as Undertow's public
 * {@code transferFrom(FileChannel)} sends them ({@link UndertowSink}).
 */
public final class UndertowSinks implements SinkFamily {
    static final String OUTPUT = "io.undertow.servlet.spec.ServletOutputStreamImpl";

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        if (!out.getClass().getName().equals(OUTPUT)) {
            return null;
        }
        if (flush != BufferedFlush.NONE) {
            // BufferedOutputStream.flush() flushes Undertow's buffer too, which commits the response (chunked) where
            // the loop's writes may have left a small body in it to be sent with a Content-Length
            return "a BufferedOutputStream around Undertow's ServletOutputStreamImpl: its flush would commit the "
                    + "response early";
        }
        if (Members.get(out, "listener") != null) {
            return "non-blocking servlet output (a WriteListener is set)";
        }
        return UndertowSink.of(out);
    }
}
