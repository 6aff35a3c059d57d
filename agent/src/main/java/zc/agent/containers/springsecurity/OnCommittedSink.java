package zc.agent.containers.springsecurity;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import zc.agent.containers.Members;
import zc.agent.rt.Sink;

/**
 * A transfer into the stream inside Spring Security's SaveContextServletOutputStream. Until the wrapper's on-commit
 * callback has run ({@code onResponseCommitted}: HeaderWriterFilter writes its headers there), every chunk goes
 * through the wrapper itself (a 0 return: the dispatcher writes one chunk through {@link #raw}), so the callback
 * fires at the same byte, before the same write, as in the loop. After it (the wrapper then calls it never again),
 * the bytes go the inner sink's way and each transfer's bytes are counted by the wrapper's own
 * {@code checkContentLength}, which is all its {@code write(byte[], int, int)} would have done with them.
 */
final class OnCommittedSink implements Sink {
    private static final Class<?>[] LONG = {long.class};
    private final OutputStream stream;
    private final Object wrapper;
    private final Sink inner;

    OnCommittedSink(OutputStream stream, Object wrapper, Sink inner) {
        this.stream = stream;
        this.wrapper = wrapper;
        this.inner = inner;
    }

    private interface Transfer {
        long run() throws IOException;
    }

    /** Runs {@code transfer} once the callback has run, counting its bytes; 0 (one chunk the loop's way) before. */
    private long counted(Transfer transfer) throws IOException {
        try {
            if (!(Boolean) Members.call(wrapper, "isDisableOnResponseCommitted")) {
                return 0;
            }
            long n = transfer.run();
            if (n > 0) {
                Members.callExact(wrapper, "checkContentLength", LONG, n);
            }
            return n;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Spring Security's wrapper changed under zc", e);
        }
    }

    @Override
    public void prepare() throws IOException {
        inner.prepare();
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        return counted(() -> inner.transferFrom(source, position, count));
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        return (int) counted(() -> inner.write(mapped));
    }

    @Override
    public OutputStream raw() {
        return stream;
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
