package zc.agent.containers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import zc.agent.rt.Sink;

/**
 * A sink for a framework's stream around another stream: each transfer goes to the sink of the stream inside,
 * wrapped in the steps the framework's own write takes around its delegate's ({@link #around}); chunks the
 * dispatcher writes the ordinary way go through the framework's stream itself.
 */
public abstract class WrapperSink implements Sink {
    private final OutputStream wrapper;
    protected final Sink inner;

    protected WrapperSink(OutputStream wrapper, Sink inner) {
        this.wrapper = wrapper;
        this.inner = inner;
    }

    /** Runs {@code transfer} inside the wrapper's steps and returns its result (or 0, -1 as a Sink may). */
    protected abstract long around(Transfer transfer) throws IOException;

    @Override
    public void prepare() throws IOException {
        inner.prepare();
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        return around(Transfer.range(inner, source, position, count));
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        return (int) around(Transfer.mapped(inner, mapped));
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

    @Override
    public String observed() throws Throwable {
        return inner.observed();
    }
}
