package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
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
 * the descriptor under it; JDK 17's does not, and zc brackets it the way JDK 17's own {@code write} does
 * ({@code writeLock}, {@code beginWrite(true)}, {@code endWrite(true, completed)}).
 */
record JdkHttpSink(OutputStream raw, OutputStream body, OutputStream exchangeBuffer, OutputStream connection,
                   SocketChannel channel, BufferedFlush flush) implements Sink {
    /** FixedLengthOutputStream.remaining. */
    private static final LongField REMAINING = new LongField("remaining");

    /**
     * Resolves the JDK internals the transfer needs; called while the sink is chosen, so that a JDK without them
     * declines the call (reported once) instead of failing a transfer.
     */
    static void resolve() {
        Handles.resolved();
    }

    /** The class holding JDK 17's write bracket, for DispatcherInit. */
    static Class<?> handlesClass() {
        return Handles.class;
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
                n = Handles.bracketed(channel, source, position, count);
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

    /** JDK 17's SocketChannelImpl write bracket, found once. */
    private static final class Handles {
        /** Null where transferTo brackets itself (JDK 25: SocketChannelImpl.beforeTransferTo). */
        private static final MethodHandle WRITE_LOCK;
        private static final MethodHandle BEGIN_WRITE;
        private static final MethodHandle END_WRITE;

        static {
            try {
                Class<?> sci = Class.forName("sun.nio.ch.SocketChannelImpl");
                boolean selfBracketed = java.util.Arrays.stream(sci.getDeclaredMethods())
                        .anyMatch(m -> m.getName().equals("beforeTransferTo"));
                if (selfBracketed) {
                    WRITE_LOCK = BEGIN_WRITE = END_WRITE = null;
                } else {
                    var lookup = JdkAccess.lookup(sci);
                    WRITE_LOCK = lookup.findGetter(sci, "writeLock", ReentrantLock.class)
                            .asType(MethodType.methodType(ReentrantLock.class, SocketChannel.class));
                    BEGIN_WRITE = lookup.findVirtual(sci, "beginWrite", MethodType.methodType(void.class,
                            boolean.class)).asType(MethodType.methodType(void.class, SocketChannel.class, boolean.class));
                    END_WRITE = lookup.findVirtual(sci, "endWrite", MethodType.methodType(void.class, boolean.class,
                            boolean.class)).asType(MethodType.methodType(void.class, SocketChannel.class,
                            boolean.class, boolean.class));
                }
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        static void resolved() {
            // the static initialiser has run
        }

        /** {@code source.transferTo(position, count, channel)}, bracketed as JDK 17's SocketChannelImpl.write. */
        static long bracketed(SocketChannel channel, FileChannel source, long position, long count)
                throws IOException {
            if (WRITE_LOCK == null) {
                return source.transferTo(position, count, channel);
            }
            ReentrantLock lock;
            try {
                lock = (ReentrantLock) WRITE_LOCK.invokeExact(channel);
            } catch (Throwable t) {
                throw JdkAccess.rethrown(t);
            }
            lock.lock();
            try {
                try {
                    BEGIN_WRITE.invokeExact(channel, true);
                } catch (Throwable t) {
                    throw JdkAccess.rethrown(t);
                }
                long n = 0;
                try {
                    n = source.transferTo(position, count, channel);
                    return n;
                } finally {
                    try {
                        END_WRITE.invokeExact(channel, true, n > 0);
                    } catch (Throwable t) {
                        throw JdkAccess.rethrown(t);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
