package zc.agent.containers.jersey;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import zc.agent.containers.Members;
import zc.agent.rt.BufferedFlush;
import zc.agent.rt.SinkFamily;
import zc.agent.rt.Sinks;
import zc.agent.rt.ZcCopy;

/**
 * Jersey's streams between a resource (a {@code StreamingOutput}, {@code FileProvider}'s {@code Files.copy}) and
 * the container: {@code WriterInterceptorExecutor$UnCloseableOutputStream} and the servlet container's
 * {@code ResponseWriter$NonCloseableOutputStreamWrapper} only delegate and are looked through;
 * {@code CommittingOutputStream} commits the response on its first write (the status and headers are written, the
 * container's stream obtained, {@code streamProvider.getOutputStream(-1)}) or, while it buffers to compute a
 * Content-Length, when the buffer would overflow. zc does that same step first, where the loop is sure to do it
 * (it will write at least minBytes), and then sends to the stream Jersey committed to, whose family decides.
 */
public final class JerseySinks implements SinkFamily {
    private static final String PREFIX = "inside Jersey's stream: ";
    private static final String COMMITTING = "org.glassfish.jersey.message.internal.CommittingOutputStream";
    private static final String UNCLOSEABLE =
            "org.glassfish.jersey.message.internal.WriterInterceptorExecutor$UnCloseableOutputStream";
    private static final String NON_CLOSEABLE =
            "org.glassfish.jersey.servlet.internal.ResponseWriter$NonCloseableOutputStreamWrapper";

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        String name = out.getClass().getName();
        return switch (name) {
            case UNCLOSEABLE -> inner((OutputStream) Members.get(out, "original"), flush);
            case NON_CLOSEABLE -> inner((OutputStream) Members.get(out, "delegate"), flush);
            case COMMITTING -> committed(out, flush);
            default -> null;
        };
    }

    private static Object committed(OutputStream out, BufferedFlush flush) throws Throwable {
        if ((boolean) Members.get(out, "isClosed")) {
            return "Jersey's CommittingOutputStream is closed";
        }
        if (!(boolean) Members.get(out, "isCommitted")) {
            if ((boolean) Members.get(out, "directWrite")) {
                Members.call(out, "commitStream"); // what the loop's first write does first
            } else {
                ByteArrayOutputStream buffer = (ByteArrayOutputStream) Members.get(out, "buffer");
                int size = (int) Members.get(out, "bufferSize");
                if (buffer.size() + ZcCopy.minBytes() <= size) {
                    return "Jersey buffers up to " + size + " bytes to send a Content-Length, more than minBytes: the "
                            + "loop's bytes may all stay in its buffer";
                }
                Members.call(out, "flushBuffer", false); // what the loop's first write past the buffer does first
            }
        }
        if (!(boolean) Members.get(out, "directWrite")) {
            return "Jersey's CommittingOutputStream still buffers";
        }
        return inner((OutputStream) Members.get(out, "adaptedOutput"), flush);
    }

    private static Object inner(OutputStream inner, BufferedFlush flush) throws Throwable {
        Object sink = Sinks.resolve(inner, flush);
        if (sink instanceof String why) {
            return why.startsWith(PREFIX) ? why : PREFIX + why; // said once for Jersey's chain of streams
        }
        return sink;
    }
}
