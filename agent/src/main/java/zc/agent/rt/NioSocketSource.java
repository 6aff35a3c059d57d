package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
    private static final JdkAccess.Found<Handles> FOUND = Handles.found();
    private static final Handles H = FOUND.handles();

    private final Socket socket;
    private final SocketImpl impl;

    private NioSocketSource(Socket socket, SocketImpl impl) {
        this.socket = socket;
        this.impl = impl;
    }

    static Object of(Socket socket, SocketImpl impl) {
        return FOUND.unavailable() != null ? FOUND.unavailable() : new NioSocketSource(socket, impl);
    }

    @Override
    public String unfit() throws IOException {
        if (socket.isInputShutdown()) {
            return "socket input is shut down";
        }
        if (is(H.readEOF)) {
            return "socket already at end of stream";
        }
        return null;
    }

    /** NioSocketImpl.read. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int timeout;
        ReentrantLock lock;
        try {
            timeout = (int) H.timeout.invoke(impl);
            lock = (ReentrantLock) H.readLock.invoke(impl);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
        long nanos;
        if (timeout > 0 && H.timedLock) {
            // NioSocketImpl since the virtual-thread rework: the wait for the lock counts against SO_TIMEOUT
            try {
                nanos = (long) H.tryLock.invoke(lock, (long) timeout, TimeUnit.MILLISECONDS);
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
            if (is(H.readEOF)) {
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
                set(H.setReadEOF, true);
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
            fd = (FileDescriptor) H.beginRead.invoke(impl);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
        try {
            if (is(H.connectionReset)) {
                throw new SocketException("Connection reset");
            }
            if (is(H.inputClosed)) {
                return -1;
            }
            try {
                if (H.timedLock) {
                    // JDK 19+: non-blocking when timed or on a virtual thread, which then parks instead of its carrier
                    H.configureNonBlocking.invoke(impl, fd, nanos > 0);
                } else if (nanos > 0) {
                    H.configureNonBlocking.invoke(impl, fd);
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
            if (H.connectionResetException.isInstance(e)) {
                set(H.setConnectionReset, true);
                throw new SocketException("Connection reset");
            }
            throw JdkAccess.asSocketException(e);
        } finally {
            set(H.endRead, n > 0);
        }
    }

    /** NioSocketImpl.timedRead. */
    private int timedRead(FileDescriptor fd, ByteBuffer dst, long nanos) throws IOException {
        long start = System.nanoTime();
        int n = tryRead(fd, dst);
        while (n == H.unavailable && isOpen()) {
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
            return (int) H.ioRead.invoke(fd, dst, -1L, H.nd);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private static boolean okayToRetry(int n) throws IOException {
        try {
            return (boolean) H.okayToRetry.invoke((long) n);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private boolean isOpen() throws IOException {
        return is(H.isOpen);
    }

    private void park(FileDescriptor fd, long nanos) throws IOException {
        try {
            H.park.invoke(impl, fd, H.pollIn, nanos);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    /** A boolean getter (or no-argument method) of the socket's NioSocketImpl. */
    private boolean is(MethodHandle getter) throws IOException {
        try {
            return (boolean) getter.invoke(impl);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    /** A boolean setter (or one-boolean-argument method) of the socket's NioSocketImpl. */
    private void set(MethodHandle setter, boolean value) throws IOException {
        try {
            setter.invoke(impl, value);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    private static final class Handles {
        final MethodHandle timeout;
        final MethodHandle readLock;
        final MethodHandle readEOF;
        final MethodHandle setReadEOF;
        final MethodHandle connectionReset;
        final MethodHandle setConnectionReset;
        final MethodHandle inputClosed;
        final MethodHandle beginRead;
        final MethodHandle endRead;
        final MethodHandle isOpen;
        final MethodHandle park;
        final MethodHandle configureNonBlocking;
        /** JDK 19+ shape: configureNonBlockingIfNeeded(fd, timed), and SO_TIMEOUT bounds the wait for the lock. */
        final boolean timedLock;
        final MethodHandle tryLock;
        final MethodHandle ioRead;
        final Object nd;
        final MethodHandle okayToRetry;
        final int unavailable;
        final int pollIn;
        final Class<?> connectionResetException;

        static JdkAccess.Found<Handles> found() {
            try {
                return JdkAccess.Found.of(new Handles());
            } catch (Throwable t) {
                return JdkAccess.Found.missing("JDK internals for socket reads", t);
            }
        }

        Handles() throws Throwable {
            Class<?> c = Class.forName("sun.nio.ch.NioSocketImpl");
            MethodHandles.Lookup nio = JdkAccess.lookup(c);
            timeout = nio.findGetter(c, "timeout", int.class);
            readLock = nio.findGetter(c, "readLock", ReentrantLock.class);
            readEOF = nio.findGetter(c, "readEOF", boolean.class);
            setReadEOF = nio.findSetter(c, "readEOF", boolean.class);
            connectionReset = nio.findGetter(c, "connectionReset", boolean.class);
            setConnectionReset = nio.findSetter(c, "connectionReset", boolean.class);
            inputClosed = nio.findGetter(c, "isInputClosed", boolean.class);
            beginRead = nio.findVirtual(c, "beginRead", MethodType.methodType(FileDescriptor.class));
            endRead = nio.findVirtual(c, "endRead", MethodType.methodType(void.class, boolean.class));
            isOpen = nio.findVirtual(c, "isOpen", MethodType.methodType(boolean.class));
            park = nio.findVirtual(c, "park", MethodType.methodType(void.class, FileDescriptor.class, int.class,
                    long.class));
            MethodHandle ifNeeded;
            try {
                ifNeeded = nio.findVirtual(c, "configureNonBlockingIfNeeded",
                        MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
            } catch (NoSuchMethodException jdk17) {
                ifNeeded = null;
            }
            timedLock = ifNeeded != null;
            configureNonBlocking = timedLock ? ifNeeded
                    : nio.findVirtual(c, "configureNonBlocking", MethodType.methodType(void.class, FileDescriptor.class));
            tryLock = nio.findStatic(c, "tryLock", MethodType.methodType(long.class, ReentrantLock.class, long.class,
                    TimeUnit.class));
            Class<?> dispatcher = Class.forName("sun.nio.ch.NativeDispatcher");
            nd = nio.findStaticGetter(c, "nd", dispatcher).invoke();
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            ioRead = JdkAccess.lookup(ioUtil).findStatic(ioUtil, "read", MethodType.methodType(int.class,
                    FileDescriptor.class, ByteBuffer.class, long.class, dispatcher));
            Class<?> status = Class.forName("sun.nio.ch.IOStatus");
            MethodHandles.Lookup st = JdkAccess.lookup(status);
            okayToRetry = st.findStatic(status, "okayToRetry", MethodType.methodType(boolean.class, long.class));
            unavailable = (int) st.findStaticGetter(status, "UNAVAILABLE", int.class).invoke();
            Class<?> net = Class.forName("sun.nio.ch.Net");
            pollIn = (short) JdkAccess.lookup(net).findStaticGetter(net, "POLLIN", short.class).invoke();
            connectionResetException = Class.forName("sun.net.ConnectionResetException");
        }
    }
}
