package zc.agent.containers.helidon;

import java.lang.reflect.Field;
import zc.agent.containers.Reflect;

/**
 * The members of Helidon 4's HTTP/1.1 response stream that a transfer past it reads and updates, found by name in
 * the class loader of the real stream (Helidon's classes are not visible to zc's loader) and resolved once per
 * loader. A member that is missing means a Helidon this code was not written against (4.5 was read): the family
 * then declines with the member's name. On the module path Helidon's packages are not open to zc: declined too.
 */
final class HelidonAccess {
    static final String CLOSING_STREAM = "io.helidon.webserver.http1.Http1ServerResponse$ClosingBufferedOutputStream";
    private static final ClassValue<Object> BY_STREAM_CLASS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> closingStream) {
            try {
                return new HelidonAccess(closingStream);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "Helidon version not recognised or not open to zc (" + e + ")";
            }
        }
    };

    // Http1ServerResponse$ClosingBufferedOutputStream
    private final Field closingDelegate;
    private final Field delegate;
    // Http1ServerResponse$BlockingOutputStream
    private final Field closed;
    private final Field closing;
    private final Field isChunked;
    private final Field forcedChunked;
    private final Field firstByte;
    private final Field contentLength;
    private final Field bytesWritten;
    private final Field responseBytesTotal;
    private final Field dataWriter;
    // io.helidon.common.socket: SocketWriter, PlainSocket
    private final Class<?> directWriter;
    private final Field writerSocket;
    private final Class<?> plainSocket;
    private final Field socketDelegate;
    private final Class<?> nioSocket;
    private final Field channelDelegate;

    private HelidonAccess(Class<?> closingStream) throws ReflectiveOperationException {
        ClassLoader loader = closingStream.getClassLoader();
        Class<?> blocking = Class.forName("io.helidon.webserver.http1.Http1ServerResponse$BlockingOutputStream", false,
                loader);
        closingDelegate = field(closingStream, "closingDelegate");
        delegate = field(closingStream, "delegate");
        closed = field(blocking, "closed");
        closing = field(blocking, "closing");
        isChunked = field(blocking, "isChunked");
        forcedChunked = field(blocking, "forcedChunked");
        firstByte = field(blocking, "firstByte");
        contentLength = field(blocking, "contentLength");
        bytesWritten = field(blocking, "bytesWritten");
        responseBytesTotal = field(blocking, "responseBytesTotal");
        dataWriter = field(blocking, "dataWriter");
        Class<?> socketWriter = Class.forName("io.helidon.common.socket.SocketWriter", false, loader);
        directWriter = Class.forName("io.helidon.common.socket.SocketWriterDirect", false, loader);
        writerSocket = field(socketWriter, "socket");
        plainSocket = Class.forName("io.helidon.common.socket.PlainSocket", false, loader);
        socketDelegate = field(plainSocket, "delegate");
        nioSocket = Class.forName("io.helidon.common.socket.NioSocket", false, loader);
        channelDelegate = field(nioSocket, "delegate");
    }

    /** The members for this stream class, or why there are none. */
    static Object of(Class<?> closingStream) {
        return BY_STREAM_CLASS.get(closingStream);
    }

    // The fields are made accessible when resolved: IllegalAccessException cannot happen after that.
    private static Object get(Field f, Object owner) {
        try {
            return f.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean bool(Field f, Object owner) {
        return (Boolean) get(f, owner);
    }

    private static long num(Field f, Object owner) {
        return (Long) get(f, owner);
    }

    private static void set(Field f, Object owner, long value) {
        try {
            f.setLong(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        return Reflect.field(owner, name, null);
    }

    Object blocking(Object closingStream) {
        return get(closingDelegate, closingStream);
    }

    java.io.OutputStream buffered(Object closingStream) {
        return (java.io.OutputStream) get(delegate, closingStream);
    }

    /** Why bytes cannot go past this BlockingOutputStream now, or null. */
    String unfit(Object blocking) {
        if (bool(closed, blocking) || bool(closing, blocking)) {
            return "Helidon response stream closed";
        }
        if (bool(isChunked, blocking) || bool(forcedChunked, blocking) || num(contentLength, blocking) < 0) {
            return "Helidon response without Content-Length (chunked)";
        }
        Object writer = get(dataWriter, blocking);
        if (writer == null || writer.getClass() != directWriter) {
            return "Helidon's asynchronous socket writer (server writeQueueLength > 1)";
        }
        Object socket = get(writerSocket, writer);
        if (socket == null || socket.getClass() != plainSocket && socket.getClass() != nioSocket) {
            return "Helidon socket " + (socket == null ? "null" : socket.getClass().getName())
                    + (socket != null && socket.getClass().getSimpleName().startsWith("Tls")
                    ? ": TLS, the bytes must be encrypted" : ", not a plain or NIO socket");
        }
        return null;
    }

    /** The connection: a java.net.Socket (PlainSocket) or a SocketChannel (NioSocket, Helidon 4.3+'s default). */
    Object socket(Object blocking) {
        Object socket = get(writerSocket, get(dataWriter, blocking));
        return get(socket.getClass() == nioSocket ? channelDelegate : socketDelegate, socket);
    }

    boolean headersSent(Object blocking) {
        return !bool(firstByte, blocking);
    }

    /** Content-Length left: what Helidon's checkContentLength still lets through. */
    long remaining(Object blocking) {
        return num(contentLength, blocking) - num(bytesWritten, blocking);
    }

    /** What BlockingOutputStream.writeContent counts for {@code n} bytes of body. */
    void wrote(Object blocking, long n) {
        set(bytesWritten, blocking, num(bytesWritten, blocking) + n);
        set(responseBytesTotal, blocking, num(responseBytesTotal, blocking) + n);
    }
}
