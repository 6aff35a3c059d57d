package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A plain java.net.Socket (NioSocketImpl) read the way NioSocketImpl.read reads it, step for step, except that
 * the bytes land in zc's direct buffer instead of a temporary direct buffer that is then copied into a byte array.
 *
 * <p>Each read holds the socket's read lock and runs between beginRead and endRead: a concurrent close() sees a
 * reader in progress, pre-closes the descriptor (the read ends) and leaves the real close to endRead, so the
 * descriptor number cannot name another file while zc reads it. SO_TIMEOUT is NioSocketImpl's own: the socket
 * goes non-blocking, the read polls for at most the timeout and throws {@code SocketTimeoutException("Read timed
 * out")}. A reset connection throws {@code SocketException("Connection reset")} and stays reset; end of stream is
 * remembered (readEOF), so later reads return -1 as the JDK's do.
 */
final class NioSocketSource implements SocketSource {

    private final Socket socket;
    private final SocketImpl impl;

    private NioSocketSource(Socket socket, SocketImpl impl) {
        this.socket = socket;
        this.impl = impl;
    }

    static Object of(Socket socket, SocketImpl impl) {
        return Handles.UNAVAILABLE != null ? Handles.UNAVAILABLE : new NioSocketSource(socket, impl);
    }

    /** The holder of the read side's handles, for DispatcherInit. */
    static Class<?> handlesClass() {
        return Handles.class;
    }

    @Override
    public String unfit() throws IOException {
        if (socket.isInputShutdown()) {
            return "socket input is shut down";
        }
        if ((boolean) Handles.READ_EOF.get(impl)) {
            return "socket already at end of stream";
        }
        return null;
    }

    /** NioSocketImpl.read. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int timeout = (int) Handles.TIMEOUT.getVolatile(impl);
        ReentrantLock lock = (ReentrantLock) Handles.READ_LOCK.get(impl);
        long nanos;
        if (timeout > 0 && Handles.TIMED_LOCK) {
            // NioSocketImpl since the virtual-thread rework: the wait for the lock counts against SO_TIMEOUT
            try {
                nanos = (long) Handles.TRY_LOCK.invokeExact(lock, (long) timeout, TimeUnit.MILLISECONDS);
            } catch (Throwable t) {
                throw JdkAccess.rethrown(t);
            }
            if (nanos <= 0) {
                throw new SocketTimeoutException("Read timed out");
            }
        } else {
            lock.lock();
            nanos = TimeUnit.MILLISECONDS.toNanos(timeout);
        }
        try {
            if ((boolean) Handles.READ_EOF.get(impl)) {
                return -1;
            }
            int n;
            try {
                n = implRead(dst, nanos);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (InterruptedIOException e) {
                throw JdkAccess.closedByInterrupt(e, socket);
            }
            if (n == -1) {
                Handles.READ_EOF.set(impl, true);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** NioSocketImpl.implRead. */
    private int implRead(ByteBuffer dst, long nanos) throws IOException {
        int n = 0;
        FileDescriptor fd;
        try {
            fd = (FileDescriptor) Handles.BEGIN_READ.invokeExact(impl);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
        try {
            if ((boolean) Handles.CONNECTION_RESET.get(impl)) {
                throw new SocketException("Connection reset");
            }
            if ((boolean) Handles.INPUT_CLOSED.getVolatile(impl)) {
                return -1;
            }
            try {
                if (Handles.TIMED_LOCK) {
                    // JDK 19+: non-blocking when timed or on a virtual thread, which then parks instead of its carrier
                    Handles.CONFIGURE_NON_BLOCKING_IF_NEEDED.invokeExact(impl, fd, nanos > 0);
                } else if (nanos > 0) {
                    Handles.CONFIGURE_NON_BLOCKING.invokeExact(impl, fd);
                }
            } catch (Throwable t) {
                throw JdkAccess.rethrown(t);
            }
            if (nanos > 0) {
                n = timedRead(fd, dst, nanos);
            } else {
                n = tryRead(fd, dst);
                while (okayToRetry(n) && isOpen()) {
                    park(fd, 0);
                    n = tryRead(fd, dst);
                }
            }
            return n;
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            if (Handles.CONNECTION_RESET_EXCEPTION.isInstance(e)) {
                Handles.CONNECTION_RESET.set(impl, true);
                throw new SocketException("Connection reset");
            }
            throw JdkAccess.asSocketException(e);
        } finally {
            endRead(n > 0);
        }
    }

    /** NioSocketImpl.timedRead. */
    private int timedRead(FileDescriptor fd, ByteBuffer dst, long nanos) throws IOException {
        long start = System.nanoTime();
        int n = tryRead(fd, dst);
        while (n == Handles.IOSTATUS_UNAVAILABLE && isOpen()) {
            long remaining = nanos - (System.nanoTime() - start);
            if (remaining <= 0) {
                throw new SocketTimeoutException("Read timed out");
            }
            park(fd, remaining);
            n = tryRead(fd, dst);
        }
        return n;
    }

    /** NioSocketImpl.tryRead, into the direct buffer itself: one read(2), no copy. */
    private static int tryRead(FileDescriptor fd, ByteBuffer dst) throws IOException {
        try {
            return (int) Handles.IO_READ.invokeExact(fd, dst, -1L, Handles.ND);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private static boolean okayToRetry(int n) throws IOException {
        try {
            return (boolean) Handles.OKAY_TO_RETRY.invokeExact((long) n);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private boolean isOpen() throws IOException {
        try {
            return (boolean) Handles.IS_OPEN.invokeExact(impl);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private void park(FileDescriptor fd, long nanos) throws IOException {
        try {
            Handles.PARK.invokeExact(impl, fd, Handles.POLLIN, nanos);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private void endRead(boolean completed) throws IOException {
        try {
            Handles.END_READ.invokeExact(impl, completed);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    /** NioSocketImpl's read side, found on the first socket read (or ahead by DispatcherInit on JDK 21+). */
    private static final class Handles {
        private static final JdkMembers MEMBERS = new JdkMembers("JDK internals for socket reads");
        private static final Class<?> NIO = MEMBERS.type("sun.nio.ch.NioSocketImpl");
        static final VarHandle TIMEOUT = MEMBERS.field(NIO, "timeout", int.class);
        static final VarHandle READ_LOCK = MEMBERS.field(NIO, "readLock", ReentrantLock.class);
        static final VarHandle READ_EOF = MEMBERS.field(NIO, "readEOF", boolean.class);
        static final VarHandle CONNECTION_RESET = MEMBERS.field(NIO, "connectionReset", boolean.class);
        static final VarHandle INPUT_CLOSED = MEMBERS.field(NIO, "isInputClosed", boolean.class);
        static final MethodHandle BEGIN_READ = MEMBERS.method(NIO, "beginRead",
                MethodType.methodType(FileDescriptor.class), MethodType.methodType(FileDescriptor.class, SocketImpl.class));
        static final MethodHandle END_READ = MEMBERS.method(NIO, "endRead", MethodType.methodType(void.class,
                boolean.class), MethodType.methodType(void.class, SocketImpl.class, boolean.class));
        static final MethodHandle IS_OPEN = MEMBERS.method(NIO, "isOpen", MethodType.methodType(boolean.class),
                MethodType.methodType(boolean.class, SocketImpl.class));
        static final MethodHandle PARK = MEMBERS.method(NIO, "park", MethodType.methodType(void.class,
                FileDescriptor.class, int.class, long.class), MethodType.methodType(void.class, SocketImpl.class,
                FileDescriptor.class, int.class, long.class));
        /** JDK 19+ shape: configureNonBlockingIfNeeded(fd, timed), and SO_TIMEOUT bounds the wait for the lock. */
        static final boolean TIMED_LOCK = Runtime.version().feature() >= 19;
        static final MethodHandle CONFIGURE_NON_BLOCKING_IF_NEEDED = !TIMED_LOCK ? null
                : MEMBERS.method(NIO, "configureNonBlockingIfNeeded", MethodType.methodType(void.class,
                        FileDescriptor.class, boolean.class), MethodType.methodType(void.class, SocketImpl.class,
                        FileDescriptor.class, boolean.class));
        /** JDK 17-18: configureNonBlocking(fd), for a timed read only. */
        static final MethodHandle CONFIGURE_NON_BLOCKING = TIMED_LOCK ? null
                : MEMBERS.method(NIO, "configureNonBlocking", MethodType.methodType(void.class, FileDescriptor.class),
                        MethodType.methodType(void.class, SocketImpl.class, FileDescriptor.class));
        static final MethodHandle TRY_LOCK = MEMBERS.staticMethod(NIO, "tryLock", MethodType.methodType(long.class,
                ReentrantLock.class, long.class, TimeUnit.class));
        private static final Class<?> DISPATCHER = MEMBERS.type("sun.nio.ch.NativeDispatcher");
        /** NioSocketImpl.nd, as the sun.nio.ch.NativeDispatcher that IO_READ takes as an Object. */
        static final Object ND = MEMBERS.staticValue(NIO, "nd", DISPATCHER);
        static final MethodHandle IO_READ = MEMBERS.adaptedStatic(MEMBERS.type("sun.nio.ch.IOUtil"), "read",
                MethodType.methodType(int.class, FileDescriptor.class, ByteBuffer.class, long.class, Object.class),
                int.class, FileDescriptor.class, ByteBuffer.class, long.class, DISPATCHER);
        private static final Class<?> STATUS = MEMBERS.type("sun.nio.ch.IOStatus");
        static final MethodHandle OKAY_TO_RETRY = MEMBERS.staticMethod(STATUS, "okayToRetry",
                MethodType.methodType(boolean.class, long.class));
        static final int IOSTATUS_UNAVAILABLE = MEMBERS.constant(STATUS, "UNAVAILABLE", int.class);
        static final int POLLIN = MEMBERS.constant(MEMBERS.type("sun.nio.ch.Net"), "POLLIN", short.class);
        static final Class<?> CONNECTION_RESET_EXCEPTION = MEMBERS.type("sun.net.ConnectionResetException");
        static final String UNAVAILABLE = MEMBERS.unavailable();
    }
}
