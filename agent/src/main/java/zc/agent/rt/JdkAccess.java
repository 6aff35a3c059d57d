package zc.agent.rt;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JDK internals the dispatcher needs. java.base opens java.io, java.net, sun.nio.ch and sun.nio.fs to zc's module
 * at start-up ({@code Instrumentation.redefineModule}). The handles are grouped by family in holder classes whose
 * static initialisers run on the family's first use (issue 15: building them all at once spun about 40 LambdaForm
 * classes on an application's first copy, most for families it never used): {@link Files} for every copy,
 * {@link Buffered} for BufferedInputStream sources, {@link Sockets} for plain sockets. Where a family's members
 * cannot all be found on this JDK, the copies that need it decline with the family's reason and run as written.
 * DispatcherInit initialises every holder ahead on JDK 21+, where copies may run on virtual threads. Fields are
 * VarHandles, read as declared: the volatile ones (FilterInputStream.in, Socket.impl, NioSocketImpl.nonBlocking,
 * BufferedInputStream.buf) with getVolatile, as the getters they replace read them.
 */
final class JdkAccess {
    /** VarHandles of fields read by name ({@link #field}), per class. */
    private static final ClassValue<Map<String, VarHandle>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, VarHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private JdkAccess() {
    }

    /** The holder classes, for DispatcherInit. */
    static List<Class<?>> holders() {
        return List.of(Files.class, Buffered.class, Sockets.class);
    }

    /** Null when the file internals every copy needs are there; otherwise why not. */
    static String unavailable() {
        return Files.UNAVAILABLE;
    }

    /** Null when the internals of plain sockets (NioSocketImpl) are there; otherwise why not. */
    static String socketsUnavailable() {
        return Sockets.UNAVAILABLE;
    }

    /**
     * A set of handles on JDK internals, or why they are not all there on this JDK. Built in a method with its own
     * try/catch, not from a lambda: a lambda's first link spins a class and a LambdaForm (issue 15).
     */
    record Found<T>(T handles, String unavailable) {
        static <T> Found<T> of(T handles) {
            return new Found<>(handles, null);
        }

        static <T> Found<T> missing(String what, Throwable t) {
            return new Found<>(null, what + " unavailable on " + Runtime.version() + ": " + t);
        }
    }

    static int fd(FileDescriptor fd) {
        return (int) Files.FD_INT.get(fd);
    }

    /**
     * One fstat(2) of the descriptor: its size if it is a regular file, -1 otherwise. Much cheaper than
     * {@code Files.readAttributes("/proc/self/fd/N")}, whose path walk through procfs cost 8% of a server's CPU
     * with 4 KiB responses. The attributes' fields are read as UnixFileAttributes.isRegularFile and size read them
     * (JDK 17-25).
     */
    static long regularFileSize(int fd) throws Throwable {
        Object attrs = Files.FSTAT.invokeExact(fd);
        return ((int) Files.ST_MODE.get(attrs) & Files.S_IFMT) == Files.S_IFREG ? (long) Files.ST_SIZE.get(attrs) : -1;
    }

    static boolean append(FileDescriptor fd) {
        return (boolean) Files.FD_APPEND.get(fd);
    }

    static Socket socketOf(Object socketOutputStream) {
        return (Socket) Sockets.SOCKET_OUT_PARENT.get(socketOutputStream);
    }

    static OutputStream inner(FilterOutputStream out) {
        return (OutputStream) Files.FILTER_OUT.get(out);
    }

    /** The socket's implementation, unwrapped from SocksSocketImpl/DelegatingSocketImpl (JDK 13+). */
    static SocketImpl implOf(Socket socket) {
        SocketImpl impl = (SocketImpl) Sockets.SOCKET_IMPL.getVolatile(socket);
        while (impl != null && Sockets.DELEGATING_IMPL.isInstance(impl)) {
            impl = (SocketImpl) Sockets.DELEGATE.get(impl);
        }
        return impl;
    }

    static boolean isNioSocketImpl(SocketImpl impl) {
        return impl != null && impl.getClass() == Sockets.NIO_SOCKET_IMPL;
    }

    /** SocketImpl.fd, what getFileDescriptor returns (NioSocketImpl does not override it). */
    static FileDescriptor fdOf(SocketImpl impl) {
        return (FileDescriptor) Sockets.IMPL_FD.get(impl);
    }

    static ReentrantLock writeLock(SocketImpl nioImpl) {
        return (ReentrantLock) Sockets.WRITE_LOCK.get(nioImpl);
    }

    /**
     * NioSocketImpl.beginWrite: registers this thread as the writer, so a concurrent close is deferred. It returns
     * the descriptor, which the caller already has.
     */
    static void beginWrite(SocketImpl nioImpl) throws Throwable {
        Object fd = Sockets.BEGIN_WRITE.invokeExact(nioImpl);
    }

    static void endWrite(SocketImpl nioImpl, boolean completed) throws Throwable {
        Sockets.END_WRITE.invokeExact(nioImpl, completed);
    }

    static ReentrantLock readLock(SocketImpl nioImpl) {
        return (ReentrantLock) Sockets.READ_LOCK.get(nioImpl);
    }

    /** NioSocketImpl.nonBlocking: set for good after the first timed read (SO_TIMEOUT) or virtual-thread use. */
    static boolean nonBlocking(SocketImpl nioImpl) {
        return (boolean) Sockets.NON_BLOCKING.getVolatile(nioImpl);
    }

    static void configureBlocking(FileDescriptor fd, boolean blocking) throws Throwable {
        Sockets.CONFIGURE_BLOCKING.invokeExact(fd, blocking);
    }

    /** Whether this thread is a virtual thread (JDK 21+; never on JDK 17, which has none). */
    static boolean virtualThread() {
        return Sockets.VIRTUAL_THREAD != null && Thread.currentThread().getClass() == Sockets.VIRTUAL_THREAD;
    }

    /**
     * NioSocketImpl.configureNonBlockingIfNeeded(fd, false), as its implWrite calls it first: on a virtual thread the
     * socket goes non-blocking for good, so that a full socket parks the virtual thread instead of its carrier
     * (JDK 19+, JEP 425; JDK 17 has neither the method nor virtual threads). Needs the write lock.
     */
    static void nonBlockingIfVirtual(SocketImpl nioImpl, FileDescriptor fd) throws Throwable {
        if (Sockets.CONFIGURE_NON_BLOCKING_IF_NEEDED != null) {
            Sockets.CONFIGURE_NON_BLOCKING_IF_NEEDED.invokeExact(nioImpl, fd, false);
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
        Sockets.PARK.invokeExact(nioImpl, fd, Sockets.POLLOUT);
    }

    /** Null when BufferedInputStream's fields are there; otherwise why not. */
    static String bufferedUnavailable() {
        return Buffered.UNAVAILABLE;
    }

    static int bufferedMarkPos(BufferedInputStream in) {
        return (int) Buffered.MARK_POS.get(in);
    }

    static byte[] bufferedBuf(BufferedInputStream in) {
        return (byte[]) Buffered.BUF.getVolatile(in);
    }

    static int bufferedPos(BufferedInputStream in) {
        return (int) Buffered.POS.get(in);
    }

    static int bufferedCount(BufferedInputStream in) {
        return (int) Buffered.COUNT.get(in);
    }

    static void setBufferedPos(BufferedInputStream in, int pos) {
        Buffered.POS.set(in, pos);
    }

    static InputStream innerInput(FilterInputStream in) {
        return (InputStream) Files.FILTER_IN.getVolatile(in);
    }

    /**
     * Interrupts must not close a side channel: its close would close the application's descriptor. Sets the field
     * that FileChannelImpl.setUninterruptible sets, as it does (a volatile write; JDK 17-25).
     */
    static void setUninterruptible(FileChannel ch) {
        Files.UNINTERRUPTIBLE.setVolatile(ch, true);
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

    /**
     * A reference field of a JDK object, by name; its VarHandle is looked up once per class and field. Read as a
     * volatile field is read, as the getter this replaced read the volatile ones (Socket.impl and its kind).
     */
    static Object field(Object owner, String name) throws ReflectiveOperationException {
        return fieldHandle(owner, name).getVolatile(owner);
    }

    /** A boolean field of a JDK object, by name, read with a call site of its own shape (no adapter to spin). */
    static boolean flag(Object owner, String name) throws ReflectiveOperationException {
        return (boolean) fieldHandle(owner, name).getVolatile(owner);
    }

    private static VarHandle fieldHandle(Object owner, String name) throws ReflectiveOperationException {
        Class<?> c = owner.getClass();
        Map<String, VarHandle> handles = FIELDS.get(c);
        VarHandle handle = handles.get(name);
        if (handle == null) {
            handle = lookup(c).unreflectVarHandle(c.getDeclaredField(name));
            handles.put(name, handle);
        }
        return handle;
    }

    static MethodHandle getter(Class<?> owner, String field, Class<?> type) throws ReflectiveOperationException {
        return lookup(owner).findGetter(owner, field, type);
    }

    static MethodHandles.Lookup lookup(Class<?> owner) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
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

    /** What every copy needs: descriptors, fstat, the filter streams' inner streams, a channel's interrupt mode. */
    private static final class Files {
        private static final JdkMembers MEMBERS = new JdkMembers("JDK internals for files");
        static final VarHandle FD_INT = MEMBERS.field(FileDescriptor.class, "fd", int.class);
        static final VarHandle FD_APPEND = MEMBERS.field(FileDescriptor.class, "append", boolean.class);
        static final VarHandle FILTER_OUT = MEMBERS.field(FilterOutputStream.class, "out", OutputStream.class);
        static final VarHandle FILTER_IN = MEMBERS.field(FilterInputStream.class, "in", InputStream.class);
        static final VarHandle UNINTERRUPTIBLE = MEMBERS.field(MEMBERS.type("sun.nio.ch.FileChannelImpl"),
                "uninterruptible", boolean.class);
        private static final Class<?> ATTRS = MEMBERS.type("sun.nio.fs.UnixFileAttributes");
        /** UnixFileAttributes.get(int): its return type widened to Object, which adapts without a cast. */
        static final MethodHandle FSTAT = MEMBERS.adaptedStatic(ATTRS, "get",
                MethodType.methodType(Object.class, int.class), ATTRS, int.class);
        static final VarHandle ST_MODE = MEMBERS.field(ATTRS, "st_mode", int.class);
        static final VarHandle ST_SIZE = MEMBERS.field(ATTRS, "st_size", long.class);
        private static final Class<?> CONSTANTS = MEMBERS.type("sun.nio.fs.UnixConstants");
        static final int S_IFMT = MEMBERS.constant(CONSTANTS, "S_IFMT", int.class);
        static final int S_IFREG = MEMBERS.constant(CONSTANTS, "S_IFREG", int.class);
        static final String UNAVAILABLE = MEMBERS.unavailable();
    }

    /** BufferedInputStream's buffer, for a buffered file source. */
    private static final class Buffered {
        private static final JdkMembers MEMBERS = new JdkMembers("JDK internals for BufferedInputStream");
        private static final Class<?> BIS = BufferedInputStream.class;
        static final VarHandle BUF = MEMBERS.field(BIS, "buf", byte[].class);
        static final VarHandle POS = MEMBERS.field(BIS, "pos", int.class);
        static final VarHandle COUNT = MEMBERS.field(BIS, "count", int.class);
        static final VarHandle MARK_POS = MEMBERS.field(BIS, "markpos", int.class);
        static final String UNAVAILABLE = MEMBERS.unavailable();
    }

    /** A plain java.net.Socket's stream and its NioSocketImpl: the socket sink and source. */
    private static final class Sockets {
        private static final JdkMembers MEMBERS = new JdkMembers("JDK internals for sockets");
        static final VarHandle SOCKET_OUT_PARENT = MEMBERS.field(MEMBERS.type("java.net.Socket$SocketOutputStream"),
                "parent", Socket.class);
        static final VarHandle SOCKET_IMPL = MEMBERS.field(Socket.class, "impl", SocketImpl.class);
        static final Class<?> DELEGATING_IMPL = MEMBERS.type("java.net.DelegatingSocketImpl");
        static final VarHandle DELEGATE = MEMBERS.field(DELEGATING_IMPL, "delegate", SocketImpl.class);
        static final VarHandle IMPL_FD = MEMBERS.field(SocketImpl.class, "fd", FileDescriptor.class);
        static final Class<?> NIO_SOCKET_IMPL = MEMBERS.type("sun.nio.ch.NioSocketImpl");
        static final VarHandle WRITE_LOCK = MEMBERS.field(NIO_SOCKET_IMPL, "writeLock", ReentrantLock.class);
        static final VarHandle READ_LOCK = MEMBERS.field(NIO_SOCKET_IMPL, "readLock", ReentrantLock.class);
        static final VarHandle NON_BLOCKING = MEMBERS.field(NIO_SOCKET_IMPL, "nonBlocking", boolean.class);
        /** beginWrite() returns the descriptor: returned as Object, which adapts without a cast. */
        static final MethodHandle BEGIN_WRITE = MEMBERS.method(NIO_SOCKET_IMPL, "beginWrite",
                MethodType.methodType(FileDescriptor.class), MethodType.methodType(Object.class, SocketImpl.class));
        static final MethodHandle END_WRITE = MEMBERS.method(NIO_SOCKET_IMPL, "endWrite",
                MethodType.methodType(void.class, boolean.class),
                MethodType.methodType(void.class, SocketImpl.class, boolean.class));
        static final MethodHandle PARK = MEMBERS.method(NIO_SOCKET_IMPL, "park",
                MethodType.methodType(void.class, FileDescriptor.class, int.class),
                MethodType.methodType(void.class, SocketImpl.class, FileDescriptor.class, int.class));
        /** NioSocketImpl.configureNonBlockingIfNeeded(FileDescriptor, boolean), JDK 19+; null on 17. */
        static final MethodHandle CONFIGURE_NON_BLOCKING_IF_NEEDED = Runtime.version().feature() < 19 ? null
                : MEMBERS.method(NIO_SOCKET_IMPL, "configureNonBlockingIfNeeded",
                        MethodType.methodType(void.class, FileDescriptor.class, boolean.class),
                        MethodType.methodType(void.class, SocketImpl.class, FileDescriptor.class, boolean.class));
        /** java.lang.VirtualThread, JDK 19+; null on 17. */
        static final Class<?> VIRTUAL_THREAD = Runtime.version().feature() < 19 ? null
                : MEMBERS.type("java.lang.VirtualThread");
        private static final Class<?> IO_UTIL = MEMBERS.type("sun.nio.ch.IOUtil");
        static final MethodHandle CONFIGURE_BLOCKING = MEMBERS.staticMethod(IO_UTIL, "configureBlocking",
                MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
        static final int POLLOUT = MEMBERS.constant(MEMBERS.type("sun.nio.ch.Net"), "POLLOUT", short.class);
        static final String UNAVAILABLE = MEMBERS.unavailable();
    }
}
