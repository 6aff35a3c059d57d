package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JDK internals the dispatcher needs, as method handles. java.base opens java.io, java.net, sun.nio.ch and
 * sun.nio.fs to
 * zc's module at start-up ({@code Instrumentation.redefineModule}); if any handle cannot be found on this JDK, the
 * dispatcher declines every rewrite with {@link #unavailable()} as the reason and the loops run as written.
 */
final class JdkAccess {
    private static final Found<Handles> FOUND = Found.of("JDK internals", Handles::new);
    private static final Handles HANDLES = FOUND.handles();
    /** Getters of fields read by name ({@link #field}), per class. */
    private static final ClassValue<Map<String, MethodHandle>> GETTERS = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private JdkAccess() {
    }

    /** Null when every handle is there; otherwise why not. */
    static String unavailable() {
        return FOUND.unavailable();
    }

    /** A set of handles on JDK internals, or why they are not all there on this JDK. */
    record Found<T>(T handles, String unavailable) {
        static <T> Found<T> of(String what, Call<T> lookup) {
            try {
                return new Found<>(lookup.run(), null);
            } catch (Throwable t) {
                return new Found<>(null, what + " unavailable on " + Runtime.version() + ": " + t);
            }
        }
    }

    static int fd(FileDescriptor fd) throws Throwable {
        return (int) HANDLES.fdInt.invoke(fd);
    }

    /**
     * One fstat(2) of the descriptor: its size if it is a regular file, -1 otherwise. Much cheaper than
     * {@code Files.readAttributes("/proc/self/fd/N")}, whose path walk through procfs cost 8% of a server's CPU
     * with 4 KiB responses.
     */
    static long regularFileSize(int fd) throws Throwable {
        Object attrs = HANDLES.fstat.invoke(fd);
        return (boolean) HANDLES.isRegularFile.invoke(attrs) ? (long) HANDLES.attrSize.invoke(attrs) : -1;
    }

    static boolean append(FileDescriptor fd) throws Throwable {
        return (boolean) HANDLES.fdAppend.invoke(fd);
    }

    static Socket socketOf(Object socketOutputStream) throws Throwable {
        return (Socket) HANDLES.socketOutParent.invoke(socketOutputStream);
    }

    static java.io.OutputStream inner(FilterOutputStream out) throws Throwable {
        return (java.io.OutputStream) HANDLES.filterOut.invoke(out);
    }

    /** The socket's implementation, unwrapped from SocksSocketImpl/DelegatingSocketImpl (JDK 13+). */
    static SocketImpl implOf(Socket socket) throws Throwable {
        SocketImpl impl = (SocketImpl) HANDLES.socketImpl.invoke(socket);
        while (impl != null && HANDLES.delegatingImpl.isInstance(impl)) {
            impl = (SocketImpl) HANDLES.delegate.invoke(impl);
        }
        return impl;
    }

    static boolean isNioSocketImpl(SocketImpl impl) {
        return impl != null && impl.getClass() == HANDLES.nioSocketImpl;
    }

    static FileDescriptor fdOf(SocketImpl impl) throws Throwable {
        return (FileDescriptor) HANDLES.implFd.invoke(impl);
    }

    static ReentrantLock writeLock(SocketImpl nioImpl) throws Throwable {
        return (ReentrantLock) HANDLES.writeLock.invoke(nioImpl);
    }

    /** NioSocketImpl.beginWrite: registers this thread as the writer, so a concurrent close is deferred. */
    static void beginWrite(SocketImpl nioImpl) throws Throwable {
        HANDLES.beginWrite.invoke(nioImpl);
    }

    static void endWrite(SocketImpl nioImpl, boolean completed) throws Throwable {
        HANDLES.endWrite.invoke(nioImpl, completed);
    }

    static ReentrantLock readLock(SocketImpl nioImpl) throws Throwable {
        return (ReentrantLock) HANDLES.readLock.invoke(nioImpl);
    }

    /** NioSocketImpl.nonBlocking: set for good after the first timed read (SO_TIMEOUT) or virtual-thread use. */
    static boolean nonBlocking(SocketImpl nioImpl) throws Throwable {
        return (boolean) HANDLES.nonBlocking.invoke(nioImpl);
    }

    static void configureBlocking(FileDescriptor fd, boolean blocking) throws Throwable {
        HANDLES.configureBlocking.invoke(fd, blocking);
    }

    /** Whether this thread is a virtual thread (JDK 21+; never on JDK 17, which has none). */
    static boolean virtualThread() {
        return HANDLES.virtualThread != null && Thread.currentThread().getClass() == HANDLES.virtualThread;
    }

    /**
     * NioSocketImpl.configureNonBlockingIfNeeded(fd, false), as its implWrite calls it first: on a virtual thread the
     * socket goes non-blocking for good, so that a full socket parks the virtual thread instead of its carrier
     * (JDK 19+, JEP 425; JDK 17 has neither the method nor virtual threads). Needs the write lock.
     */
    static void nonBlockingIfVirtual(SocketImpl nioImpl, FileDescriptor fd) throws Throwable {
        if (HANDLES.configureNonBlockingIfNeeded != null) {
            HANDLES.configureNonBlockingIfNeeded.invoke(nioImpl, fd, false);
        }
    }

    /**
     * What java.net.Socket's streams make of an InterruptedIOException from NioSocketImpl (JDK 21+): on an
     * interrupted virtual thread the socket is closed and the read or write fails with
     * {@code SocketException("Closed by interrupt")}; otherwise the exception stays as it is.
     */
    static IOException closedByInterrupt(java.io.InterruptedIOException e, java.io.Closeable socket) {
        if (virtualThread() && Thread.currentThread().isInterrupted()) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the interrupt is what the caller must see, as from the JDK's own streams
            }
            return new SocketException("Closed by interrupt");
        }
        return e;
    }

    /** NioSocketImpl.park(fd, POLLOUT): waits, as its own writes do, until a non-blocking socket drains. */
    static void parkUntilWritable(SocketImpl nioImpl, FileDescriptor fd) throws Throwable {
        HANDLES.park.invoke(nioImpl, fd, HANDLES.pollOut);
    }

    static int bufferedMarkPos(java.io.BufferedInputStream in) throws Throwable {
        return (int) HANDLES.bisMarkPos.invoke(in);
    }

    static byte[] bufferedBuf(java.io.BufferedInputStream in) throws Throwable {
        return (byte[]) HANDLES.bisBuf.invoke(in);
    }

    static int bufferedPos(java.io.BufferedInputStream in) throws Throwable {
        return (int) HANDLES.bisPos.invoke(in);
    }

    static int bufferedCount(java.io.BufferedInputStream in) throws Throwable {
        return (int) HANDLES.bisCount.invoke(in);
    }

    static void setBufferedPos(java.io.BufferedInputStream in, int pos) throws Throwable {
        HANDLES.bisPosSetter.invoke(in, pos);
    }

    static java.io.InputStream innerInput(java.io.FilterInputStream in) throws Throwable {
        return (java.io.InputStream) HANDLES.filterIn.invoke(in);
    }

    /** Interrupts must not close a side channel: its close would close the application's descriptor. */
    static void setUninterruptible(FileChannel ch) throws Throwable {
        HANDLES.setUninterruptible.invoke(ch);
    }

    /**
     * The SocketChannel behind a channel's stream, or null when {@code out} is no such stream: JDK 17-18
     * {@code SocketAdaptor$2} and {@code Channels$1}, JDK 19+ {@code sun.nio.ch.SocketOutputStream}.
     */
    static SocketChannel channelOf(OutputStream out) throws Throwable {
        return channelBehind(out) instanceof SocketChannel sc ? sc : null;
    }

    /**
     * The channel behind the JDK's stream on a channel ({@code Channels.newOutputStream}, which is also what
     * {@code Files.newOutputStream} returns: {@code Channels$1} in JDK 17-20, {@code sun.nio.ch.ChannelOutputStream}
     * from 21), or behind a SocketChannel's adaptor stream; null for any other stream.
     */
    static Object channelBehind(OutputStream out) throws Throwable {
        return switch (out.getClass().getName()) {
            case "sun.nio.ch.SocketOutputStream" -> field(out, "sc");
            case "sun.nio.ch.SocketAdaptor$2" -> field(field(out, "this$0"), "sc");
            case "java.nio.channels.Channels$1" -> field(out, "val$ch");
            case "sun.nio.ch.ChannelOutputStream" -> field(out, "ch");
            default -> null;
        };
    }

    /** A field of a JDK object, by name; the getter is looked up once per class and field. */
    static Object field(Object owner, String name) throws Throwable {
        Class<?> c = owner.getClass();
        Map<String, MethodHandle> getters = GETTERS.get(c);
        MethodHandle getter = getters.get(name);
        if (getter == null) {
            getter = lookup(c).unreflectGetter(c.getDeclaredField(name));
            getters.put(name, getter);
        }
        return getter.invoke(owner);
    }

    static MethodHandle getter(Class<?> owner, String field, Class<?> type) throws ReflectiveOperationException {
        return lookup(owner).findGetter(owner, field, type);
    }

    static MethodHandles.Lookup lookup(Class<?> owner) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
    }

    interface Call<T> {
        T run() throws Throwable;
    }

    /**
     * What a call through JDK internals threw, for the caller to throw: I/O errors are returned as they are, runtime
     * exceptions and errors are thrown as they are, anything else is wrapped. Callers write
     * {@code try { h.invoke(..) } catch (Throwable t) { throw JdkAccess.rethrown(t); }} rather than pass a lambda:
     * the dispatcher runs on virtual threads, and linking a lambda's call site the first time defines a class, which
     * pins the carrier (jdk.VirtualThreadPinned "Freeze or preempt failed" at ClassLoader.defineClass0, seen when
     * 1,000 virtual threads made their first copy at once).
     */
    static IOException rethrown(Throwable t) {
        if (t instanceof IOException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** As NioSocketImpl.asSocketException: socket I/O errors surface as SocketException. */
    static SocketException asSocketException(IOException e) {
        if (e instanceof SocketException s) {
            return s;
        }
        SocketException s = new SocketException(e.getMessage());
        s.setStackTrace(e.getStackTrace());
        return s;
    }

    private static final class Handles {
        final MethodHandle fdInt;
        final MethodHandle fdAppend;
        final MethodHandle socketOutParent;
        final MethodHandle filterOut;
        final MethodHandle socketImpl;
        final Class<?> delegatingImpl;
        final MethodHandle delegate;
        final Class<?> nioSocketImpl;
        final MethodHandle implFd;
        final MethodHandle writeLock;
        final MethodHandle beginWrite;
        final MethodHandle endWrite;
        final MethodHandle setUninterruptible;
        final MethodHandle park;
        final int pollOut;
        final MethodHandle readLock;
        final MethodHandle nonBlocking;
        final MethodHandle configureBlocking;
        /** NioSocketImpl.configureNonBlockingIfNeeded(FileDescriptor, boolean), JDK 19+; null on 17. */
        final MethodHandle configureNonBlockingIfNeeded;
        /** java.lang.VirtualThread, JDK 19+; null on 17. */
        final Class<?> virtualThread;
        final MethodHandle bisBuf;
        final MethodHandle bisPos;
        final MethodHandle bisPosSetter;
        final MethodHandle bisCount;
        final MethodHandle bisMarkPos;
        final MethodHandle filterIn;
        final MethodHandle fstat;
        final MethodHandle isRegularFile;
        final MethodHandle attrSize;

        Handles() throws Throwable {
            fdInt = getter(FileDescriptor.class, "fd", int.class);
            fdAppend = getter(FileDescriptor.class, "append", boolean.class);
            Class<?> socketOut = Class.forName("java.net.Socket$SocketOutputStream");
            socketOutParent = getter(socketOut, "parent", Socket.class);
            filterOut = getter(FilterOutputStream.class, "out", java.io.OutputStream.class);
            socketImpl = getter(Socket.class, "impl", SocketImpl.class);
            delegatingImpl = Class.forName("java.net.DelegatingSocketImpl");
            delegate = lookup(delegatingImpl).findVirtual(delegatingImpl, "delegate", MethodType.methodType(SocketImpl.class));
            nioSocketImpl = Class.forName("sun.nio.ch.NioSocketImpl");
            implFd = lookup(SocketImpl.class).findVirtual(SocketImpl.class, "getFileDescriptor",
                    MethodType.methodType(FileDescriptor.class));
            writeLock = getter(nioSocketImpl, "writeLock", ReentrantLock.class);
            MethodHandles.Lookup nio = lookup(nioSocketImpl);
            beginWrite = nio.findVirtual(nioSocketImpl, "beginWrite", MethodType.methodType(FileDescriptor.class));
            endWrite = nio.findVirtual(nioSocketImpl, "endWrite", MethodType.methodType(void.class, boolean.class));
            park = nio.findVirtual(nioSocketImpl, "park",
                    MethodType.methodType(void.class, FileDescriptor.class, int.class));
            readLock = getter(nioSocketImpl, "readLock", ReentrantLock.class);
            MethodHandle ifNeeded = null;
            Class<?> vt = null;
            if (Runtime.version().feature() >= 19) {
                ifNeeded = nio.findVirtual(nioSocketImpl, "configureNonBlockingIfNeeded",
                        MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
                vt = Class.forName("java.lang.VirtualThread");
            }
            configureNonBlockingIfNeeded = ifNeeded;
            virtualThread = vt;
            Class<?> bis = java.io.BufferedInputStream.class;
            bisBuf = getter(bis, "buf", byte[].class);
            bisPos = getter(bis, "pos", int.class);
            bisPosSetter = lookup(bis).findSetter(bis, "pos", int.class);
            bisCount = getter(bis, "count", int.class);
            bisMarkPos = getter(bis, "markpos", int.class);
            filterIn = getter(java.io.FilterInputStream.class, "in", java.io.InputStream.class);
            nonBlocking = getter(nioSocketImpl, "nonBlocking", boolean.class);
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            configureBlocking = lookup(ioUtil).findStatic(ioUtil, "configureBlocking",
                    MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
            Class<?> net = Class.forName("sun.nio.ch.Net");
            pollOut = (short) lookup(net).findStaticGetter(net, "POLLOUT", short.class).invoke();
            Class<?> fileChannelImpl = Class.forName("sun.nio.ch.FileChannelImpl");
            setUninterruptible = lookup(fileChannelImpl).findVirtual(fileChannelImpl, "setUninterruptible",
                    MethodType.methodType(void.class));
            Class<?> attrs = Class.forName("sun.nio.fs.UnixFileAttributes");
            MethodHandles.Lookup fs = lookup(attrs);
            fstat = fs.findStatic(attrs, "get", MethodType.methodType(attrs, int.class))
                    .asType(MethodType.methodType(Object.class, int.class));
            isRegularFile = fs.findVirtual(attrs, "isRegularFile", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            attrSize = fs.findVirtual(attrs, "size", MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class));
        }
    }
}
