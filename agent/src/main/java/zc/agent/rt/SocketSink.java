package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
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
 *
 * <p>After a timed read (SO_TIMEOUT), NioSocketImpl keeps the descriptor non-blocking for good, and sendfile then
 * returns as soon as the socket buffer is full: one call per buffer-full instead of one per file. When no read is
 * in progress, the transfer takes the read lock too, so nothing else can use the socket, switches the descriptor to
 * blocking for the transfer and back before releasing it. Otherwise it parks between calls, as implWrite does.
 *
 * <p>On a virtual thread (JDK 21+) the descriptor is made non-blocking first, as implWrite does there, and never
 * switched back: each sendfile moves what the socket buffer takes, and a full socket parks the virtual thread
 * through NioSocketImpl.park (the JDK's poller), never its carrier.
 */
record SocketSink(OutputStream raw, SocketImpl impl, FileDescriptor fd, FileChannel target, BufferedFlush flush)
        implements Sink {

    @Override
    public void prepare() throws IOException {
        flush.run();
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        return asWriter(source, position, count, null);
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        return (int) asWriter(null, 0, 0, mapped);
    }

    /** One sendfile of {@code count} bytes of {@code source} from {@code position}, or one write of {@code mapped}. */
    private long once(FileChannel source, long position, long count, ByteBuffer mapped) throws IOException {
        return mapped != null ? target.write(mapped) : source.transferTo(position, count, target);
    }

    /**
     * Runs one side-channel call (a sendfile when {@code mapped} is null, else a write of the mapped region) the way
     * NioSocketImpl.implWrite runs a write. A socket that NioSocketImpl made non-blocking (after a timed read, or on
     * a virtual thread) returns 0 when full: park until it drains, as implWrite does, rather than spin; a blocking
     * socket's 0, or a second 0 after the park, means the source has no bytes at this position.
     */
    private long asWriter(FileChannel source, long position, long count, ByteBuffer mapped) throws IOException {
        ReentrantLock lock;
        try {
            lock = JdkAccess.writeLock(impl);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
        lock.lock();
        try {
            long n = 0;
            boolean virtual = JdkAccess.virtualThread();
            ReentrantLock reads;
            try {
                JdkAccess.beginWrite(impl);
                if (virtual) {
                    JdkAccess.nonBlockingIfVirtual(impl, fd);
                }
                // A virtual thread never switches the socket to blocking: sendfile would then hold its carrier for
                // as long as the peer takes; it writes what the socket takes and parks, as implWrite does.
                reads = !virtual && JdkAccess.nonBlocking(impl) ? JdkAccess.readLock(impl) : null;
            } catch (Throwable t) {
                throw JdkAccess.rethrown(t);
            }
            boolean blocking = reads != null && reads.tryLock();
            try {
                if (blocking) {
                    configureBlocking(true);
                }
                n = once(source, position, count, mapped);
                if (n == 0 && !blocking && nonBlocking() && (mapped != null || source.size() > position)) {
                    parkUntilWritable();
                    // Once: the socket said it is writable, so a second 0 means the source has nothing at this
                    // position (a sysfs file whose stat size is 4096 holds 23 bytes) and the caller's loop takes over.
                    n = once(source, position, count, mapped);
                }
                return n;
            } catch (InterruptedIOException e) {
                throw JdkAccess.closedByInterrupt(e, raw);
            } catch (IOException e) {
                throw PeerReset.asLoopWould(JdkAccess.asSocketException(e), fd);
            } finally {
                if (blocking) {
                    restoreNonBlocking(reads);
                }
                endWrite(n > 0);
            }
        } finally {
            lock.unlock();
        }
    }

    private void configureBlocking(boolean blocking) throws IOException {
        try {
            JdkAccess.configureBlocking(fd, blocking);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private boolean nonBlocking() throws IOException {
        try {
            return JdkAccess.nonBlocking(impl);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private void parkUntilWritable() throws IOException {
        try {
            JdkAccess.parkUntilWritable(impl, fd);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private void endWrite(boolean completed) throws IOException {
        try {
            JdkAccess.endWrite(impl, completed);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private void restoreNonBlocking(ReentrantLock reads) {
        try {
            JdkAccess.configureBlocking(fd, false);
        } catch (Throwable closedMeanwhile) {
            // a concurrent close pre-closed the descriptor: nothing left to restore
        } finally {
            reads.unlock();
        }
    }
}
