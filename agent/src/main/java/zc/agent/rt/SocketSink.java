package zc.agent.rt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketImpl;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A plain java.net.Socket (NioSocketImpl, JDK 13+). The transfer runs the way NioSocketImpl.write runs a write:
 * under the socket's write lock and between beginWrite and endWrite. That bracket is what makes a concurrent
 * close safe: close() sees a writer in progress, only pre-closes the descriptor (dup2 of a dead socket onto it, so
 * sendfile fails) and leaves the real close to endWrite; the descriptor number cannot be reused by another file
 * while sendfile still uses it.
 */
record SocketSink(OutputStream raw, SocketImpl impl, FileChannel target, BufferedFlush flush) implements Sink {

    @Override
    public void prepare() throws IOException {
        flush.run();
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        return asWriter(() -> source.transferTo(position, count, target));
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        return (int) asWriter(() -> target.write(mapped));
    }

    private interface Io {
        long run() throws IOException;
    }

    /** Runs one side-channel call the way NioSocketImpl.implWrite runs a write. */
    private long asWriter(Io io) throws IOException {
        ReentrantLock lock = call(() -> JdkAccess.writeLock(impl));
        lock.lock();
        try {
            call(() -> {
                JdkAccess.beginWrite(impl);
                return null;
            });
            long n = 0;
            try {
                n = io.run();
                return n;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                throw asSocketException(e);
            } finally {
                boolean completed = n > 0;
                call(() -> {
                    JdkAccess.endWrite(impl, completed);
                    return null;
                });
            }
        } finally {
            lock.unlock();
        }
    }

    /** As NioSocketImpl.asSocketException: socket I/O errors surface as SocketException. */
    private static SocketException asSocketException(IOException e) {
        if (e instanceof SocketException s) {
            return s;
        }
        SocketException s = new SocketException(e.getMessage());
        s.setStackTrace(e.getStackTrace());
        return s;
    }

    private interface Call<T> {
        T run() throws Throwable;
    }

    private static <T> T call(Call<T> c) throws IOException {
        try {
            return c.run();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
