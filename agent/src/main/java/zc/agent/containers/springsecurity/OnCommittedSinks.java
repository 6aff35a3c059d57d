package zc.agent.containers.springsecurity;

import java.io.OutputStream;
import zc.agent.containers.Members;
import zc.agent.rt.BufferedFlush;
import zc.agent.rt.Sink;
import zc.agent.rt.SinkFamily;
import zc.agent.rt.Sinks;

/**
 * Spring Security's {@code OnCommittedResponseWrapper$SaveContextServletOutputStream} (spring-security-web 5.x and
 * 6.x), the stream of every response wrapped by HeaderWriterFilter ({@code HeaderWriterResponse}, which writes the
 * security headers when the response commits) or by the session repository's {@code SaveContextOnUpdateOrError...}
 * wrapper. It adds no bytes and no buffer: {@code write(byte[], int, int)} counts {@code len} towards the wrapper's
 * commit trigger ({@code checkContentLength}: the Content-Length reached, or the buffer size) and passes the bytes
 * on; {@code flush}/{@code close} run the on-commit callback first. The stream it wraps is resolved as any other
 * ({@link Sinks#resolve}); {@link OnCommittedSink} keeps the callback and the count exactly as the loop leaves them.
 */
public final class OnCommittedSinks implements SinkFamily {
    static final String STREAM =
            "org.springframework.security.web.util.OnCommittedResponseWrapper$SaveContextServletOutputStream";

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        if (!out.getClass().getName().equals(STREAM)) {
            return null;
        }
        if (flush != BufferedFlush.NONE) {
            // flushing the buffering wrapper would flush this stream, which runs the on-commit callback early
            return "a buffering wrapper around Spring Security's SaveContextServletOutputStream";
        }
        if (!Members.hasField(out, "delegate") || !Members.hasField(out, "this$0")) {
            return "Spring Security's SaveContextServletOutputStream without the fields zc checks (delegate, this$0)";
        }
        Object wrapper = Members.get(out, "this$0");
        // the members OnCommittedSink calls, found now so that a Spring Security that changed declines here
        Members.method(wrapper, "checkContentLength", new Class<?>[] {long.class});
        Members.require(wrapper, "isDisableOnResponseCommitted", 0);
        Object inner = Sinks.resolve((OutputStream) Members.get(out, "delegate"), flush);
        if (inner instanceof String why) {
            return "inside Spring Security's " + wrapper.getClass().getName() + ": " + why;
        }
        return new OnCommittedSink(out, wrapper, (Sink) inner);
    }
}
