package zc.agent.containers.spring;

import java.io.IOException;
import java.io.OutputStream;
import zc.agent.containers.Reflect;
import zc.agent.containers.Transfer;
import zc.agent.containers.WrapperSink;
import zc.agent.rt.Sink;

/**
 * A transfer into the stream inside Spring's LifecycleServletOutputStream, bracketed as its write(byte[], int, int)
 * brackets the delegate's write: obtainLockOrRaiseException, then on an IOException handleIOException(ex,
 * "ServletOutputStream failed to write"), and releaseLock in the end. Ordinary chunks go through the wrapper itself.
 */
final class LifecycleSink extends WrapperSink {
    private static final String FAILED_WRITE = "ServletOutputStream failed to write";
    private final Object response;
    private final SpringLifecycleSinks.Access spring;

    LifecycleSink(OutputStream wrapper, Object response, SpringLifecycleSinks.Access spring, Sink inner) {
        super(wrapper, inner);
        this.response = response;
        this.spring = spring;
    }

    @Override
    protected long around(Transfer transfer) throws IOException {
        int level = (Integer) Reflect.call(spring.obtainLock(), response);
        try {
            return transfer.run();
        } catch (IOException ex) {
            Reflect.call(spring.handleIOException(), response, ex, FAILED_WRITE);
            throw ex; // not reached: handleIOException always throws
        } finally {
            Reflect.call(spring.releaseLock(), response, level);
        }
    }

    @Override
    public void prepare() throws IOException {
        around(Transfer.prepare(inner));
    }
}
