package zc.agent.containers.spring;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import zc.agent.containers.Reflect;
import zc.agent.rt.Sink;

/**
 * A transfer into the stream inside Spring's LifecycleServletOutputStream, bracketed as its write(byte[], int, int)
 * brackets the delegate's write: obtainLockOrRaiseException, then on an IOException handleIOException(ex,
 * "ServletOutputStream failed to write"), and releaseLock in the end. Ordinary chunks go through the wrapper itself.
 */
final class LifecycleSink implements Sink {
    private static final String FAILED_WRITE = "ServletOutputStream failed to write";
    private final OutputStream wrapper;
    private final Object response;
    private final SpringLifecycleSinks.Access spring;
    private final Sink inner;

    LifecycleSink(OutputStream wrapper, Object response, SpringLifecycleSinks.Access spring, Sink inner) {
        this.wrapper = wrapper;
        this.response = response;
        this.spring = spring;
        this.inner = inner;
    }

    private interface Transfer {
        long run() throws IOException;
    }

    private long locked(Transfer transfer) throws IOException {
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
        locked(() -> {
            inner.prepare();
            return 0;
        });
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        return locked(() -> inner.transferFrom(source, position, count));
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        return (int) locked(() -> inner.write(mapped));
    }

    @Override
    public OutputStream raw() {
        return wrapper;
    }

    @Override
    public boolean mapped(boolean strategyMmap) {
        return inner.mapped(strategyMmap);
    }

    @Override
    public String via(boolean mapped) {
        return inner.via(mapped);
    }

    @Override
    public String declined() {
        return inner.declined();
    }
}
