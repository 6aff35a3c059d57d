package zc.agent.rt;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;

/** An exact BufferedOutputStream around a stream another family takes: flushed before the first zero-copy byte. */
final class BufferedSinks implements SinkFamily {

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        if (out.getClass() != BufferedOutputStream.class || flush != BufferedFlush.NONE) {
            return null;
        }
        Object inner = Sinks.resolve(JdkAccess.inner((FilterOutputStream) out), new BufferedFlush(out));
        return inner instanceof String why ? "inside a BufferedOutputStream: " + why : inner;
    }
}
