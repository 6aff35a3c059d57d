package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed-length response of the JDK's HTTP server ({@link JdkHttpSinks}): sendfile into the connection's blocking
 * SocketChannel, after flushing the connection's BufferedOutputStream where there is one (JDK 25: the status line
 * and headers are still in it; {@code exchangeBuffer} is the connection stream itself on JDK 17).
 * {@code FixedLengthOutputStream.remaining} is counted down by every byte sent, as its {@code write} does, so its
 * close finds the same count (and throws "insufficient bytes written" for a short file, as without zc). A transfer
 * that would go past {@code remaining} is not made: the dispatcher then writes chunk by chunk through the
 * application's stream, which fails at the chunk that does not fit ("too many bytes to write to stream") exactly
 * as the loop's write would.
 *
 * <p>Locks: the connection's {@code Request$WriteStream} writes under its own monitor; zc holds it too. JDK 25's
 * FileChannel.transferTo into a SocketChannelImpl brackets sendfile with the channel's write lock and writer thread
 * ({@code SocketChannelImpl.beforeTransferTo}), so that a concurrent close ({@code HttpServer.stop}) cannot free
 * the descriptor under it; JDK 17's and 21's do not, and zc brackets it the way their own {@code write} does
 * ({@code writeLock}, {@code beginWrite(true)}, {@code endWrite(true, completed)}). On a virtual thread (JDK 21+)
 * the descriptor is non-blocking underneath and a full socket makes sendfile return 0: zc parks as that
 * {@code write} parks between its attempts ({@code parkUntilWritable}), so every byte goes by sendfile.
 */
record JdkHttpSink(OutputStream raw, OutputStream body, OutputStream exchangeBuffer, OutputStream connection,
                   SocketChannel channel, BufferedFlush flush) implements Sink {
    /** FixedLengthOutputStream.remaining. */
    private static final LongField REMAINING = new LongField("remaining");

    /**
     * Null when the JDK internals the transfer needs are there, otherwise why not; asked while the sink is chosen, so
     * that a JDK without them declines the call (reported once) instead of failing a transfer. The park is needed
     * only where threads can be virtual (JDK 21+).
     */
    static String unavailable() {
        if (Bracket.UNAVAILABLE != null) {
            return Bracket.UNAVAILABLE;
        }
        return Runtime.version().feature() >= 21 ? Park.UNAVAILABLE : null;
    }

    /** The holders of the write bracket and of the park, for DispatcherInit. */
    static List<Class<?>> handlesClasses() {
        return List.of(Bracket.class, Park.class);
    }

    @Override
    public void prepare() throws IOException {
        flush.run();
        if (exchangeBuffer != connection) {
            exchangeBuffer.flush();
        }
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        long remaining = REMAINING.get(body);
        if (count > remaining) {
            return 0;
        }
        long n;
        try {
            synchronized (connection) {
                n = bracketed(channel, source, position, count);
                if (n == 0 && count > 0 && source.size() > position && Park.UNAVAILABLE == null) {
                    // A virtual thread made the descriptor non-blocking underneath (JDK 21+: SocketChannelImpl.
                    // configureSocketNonBlockingIfVirtualThread), and sendfile on a full socket returns 0 (EAGAIN):
                    // wait for it to drain as the channel's own blocking write does, then once more. Returning 0
                    // instead would send a chunk through the application's stream, a copy counted as loop bytes.
                    parkUntilWritable(channel);
                    n = bracketed(channel, source, position, count);
                }
            }
        } catch (IOException e) {
            throw PeerReset.asLoopWould(e, channel); // "Connection reset by peer" where the loop's write says so
        }
        REMAINING.set(body, remaining - n);
        return n;
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        long remaining = REMAINING.get(body);
        if (mapped.remaining() > remaining) {
            return 0;
        }
        int n;
        try {
            synchronized (connection) {
                n = channel.write(mapped);
            }
        } catch (IOException e) {
            throw PeerReset.asLoopWould(e, channel);
        }
        REMAINING.set(body, remaining - n);
        return n;
    }

    @Override
    public String via(boolean mapped) {
        return mapped ? "jdkhttp-mmap" : "jdkhttp-sendfile";
    }

    /** {@code source.transferTo(position, count, channel)}, bracketed as SocketChannelImpl.write is. */
    private static long bracketed(SocketChannel channel, FileChannel source, long position, long count)
            throws IOException {
        if (Bracket.SELF_BRACKETED) {
            return source.transferTo(position, count, channel);
        }
        ReentrantLock lock = writeLock(channel);
        lock.lock();
        try {
            beginWrite(channel);
            long n = 0;
            try {
                n = source.transferTo(position, count, channel);
                return n;
            } finally {
                endWrite(channel, n > 0);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the socket can take bytes, as SocketChannelImpl.write waits between its attempts on a
     * descriptor a virtual thread made non-blocking: under the write lock, registered as the writer (so that a
     * concurrent close wakes the wait and an interrupt closes the channel), parked through the JDK's poller.
     * A close meanwhile throws AsynchronousCloseException and an interrupt ClosedByInterruptException, as there.
     */
    private static void parkUntilWritable(SocketChannel channel) throws IOException {
        ReentrantLock lock = writeLock(channel);
        lock.lock();
        try {
            beginWrite(channel);
            try {
                Park.PARK.invokeExact(channel, Park.POLLOUT);
            } catch (Throwable t) {
                throw JdkAccess.rethrown(t);
            } finally {
                endWrite(channel, false);
            }
        } finally {
            lock.unlock();
        }
    }

    private static ReentrantLock writeLock(SocketChannel channel) {
        return (ReentrantLock) Bracket.WRITE_LOCK.get(channel);
    }

    private static void beginWrite(SocketChannel channel) throws IOException {
        try {
            Bracket.BEGIN_WRITE.invokeExact(channel, true);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private static void endWrite(SocketChannel channel, boolean completed) throws IOException {
        try {
            Bracket.END_WRITE.invokeExact(channel, true, completed);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    /** SocketChannelImpl's write bracket, found on the first transfer. */
    private static final class Bracket {
        private static final JdkMembers MEMBERS = new JdkMembers("JDK internals for SocketChannel writes");
        private static final Class<?> SOCKET_CHANNEL_IMPL = MEMBERS.type("sun.nio.ch.SocketChannelImpl");
        /** Whether transferTo brackets itself (JDK 25: SocketChannelImpl.beforeTransferTo); not JDK 17 and 21. */
        static final boolean SELF_BRACKETED = declares(SOCKET_CHANNEL_IMPL, "beforeTransferTo");
        static final VarHandle WRITE_LOCK = MEMBERS.field(SOCKET_CHANNEL_IMPL, "writeLock", ReentrantLock.class);
        static final MethodHandle BEGIN_WRITE = MEMBERS.method(SOCKET_CHANNEL_IMPL, "beginWrite",
                MethodType.methodType(void.class, boolean.class),
                MethodType.methodType(void.class, SocketChannel.class, boolean.class));
        static final MethodHandle END_WRITE = MEMBERS.method(SOCKET_CHANNEL_IMPL, "endWrite",
                MethodType.methodType(void.class, boolean.class, boolean.class),
                MethodType.methodType(void.class, SocketChannel.class, boolean.class, boolean.class));
        static final String UNAVAILABLE = MEMBERS.unavailable();

        private static boolean declares(Class<?> type, String method) {
            if (type != null) {
                for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
                    if (m.getName().equals(method)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * SelChImpl.park(int): the poller for a virtual thread, poll(2) for a platform thread. Only a descriptor that a
     * virtual thread made non-blocking needs it: found on its first use, or ahead by DispatcherInit on JDK 21+.
     */
    private static final class Park {
        private static final JdkMembers MEMBERS = new JdkMembers("JDK internals for SocketChannel parks");
        static final MethodHandle PARK = MEMBERS.method(MEMBERS.type("sun.nio.ch.SelChImpl"), "park",
                MethodType.methodType(void.class, int.class), MethodType.methodType(void.class, SocketChannel.class,
                        int.class));
        static final int POLLOUT = MEMBERS.constant(MEMBERS.type("sun.nio.ch.Net"), "POLLOUT", short.class);
        static final String UNAVAILABLE = MEMBERS.unavailable();
    }
}
