package zc.agent.containers.helidon;

import zc.agent.containers.Members;
import zc.agent.containers.Members.Slot;

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
    private final Slot closingDelegate;
    private final Slot delegate;
    // Http1ServerResponse$BlockingOutputStream
    private final Slot closed;
    private final Slot closing;
    private final Slot isChunked;
    private final Slot forcedChunked;
    private final Slot firstByte;
    private final Slot contentLength;
    private final Slot bytesWritten;
    private final Slot responseBytesTotal;
    private final Slot dataWriter;
    // io.helidon.common.socket: SocketWriter, PlainSocket
    private final Class<?> directWriter;
    private final Slot writerSocket;
    private final Class<?> plainSocket;
    private final Slot socketDelegate;
    private final Class<?> nioSocket;
    private final Slot channelDelegate;

    private HelidonAccess(Class<?> closingStream) throws ReflectiveOperationException {
        ClassLoader loader = closingStream.getClassLoader();
        Class<?> blocking = Class.forName("io.helidon.webserver.http1.Http1ServerResponse$BlockingOutputStream", false,
                loader);
        closingDelegate = Members.slot(closingStream, "closingDelegate");
        delegate = Members.slot(closingStream, "delegate");
        closed = Members.slot(blocking, "closed");
        closing = Members.slot(blocking, "closing");
        isChunked = Members.slot(blocking, "isChunked");
        forcedChunked = Members.slot(blocking, "forcedChunked");
        firstByte = Members.slot(blocking, "firstByte");
        contentLength = Members.slot(blocking, "contentLength");
        bytesWritten = Members.slot(blocking, "bytesWritten");
        responseBytesTotal = Members.slot(blocking, "responseBytesTotal");
        dataWriter = Members.slot(blocking, "dataWriter");
        Class<?> socketWriter = Class.forName("io.helidon.common.socket.SocketWriter", false, loader);
        directWriter = Class.forName("io.helidon.common.socket.SocketWriterDirect", false, loader);
        writerSocket = Members.slot(socketWriter, "socket");
        plainSocket = Class.forName("io.helidon.common.socket.PlainSocket", false, loader);
        socketDelegate = Members.slot(plainSocket, "delegate");
        nioSocket = Class.forName("io.helidon.common.socket.NioSocket", false, loader);
        channelDelegate = Members.slot(nioSocket, "delegate");
    }

    /** The members for this stream class, or why there are none. */
    static Object of(Class<?> closingStream) {
        return BY_STREAM_CLASS.get(closingStream);
    }

    Object blocking(Object closingStream) {
        return closingDelegate.get(closingStream);
    }

    java.io.OutputStream buffered(Object closingStream) {
        return (java.io.OutputStream) delegate.get(closingStream);
    }

    /** Why bytes cannot go past this BlockingOutputStream now, or null. */
    String unfit(Object blocking) {
        if (closed.bool(blocking) || closing.bool(blocking)) {
            return "Helidon response stream closed";
        }
        if (isChunked.bool(blocking) || forcedChunked.bool(blocking) || contentLength.num(blocking) < 0) {
            return "Helidon response without Content-Length (chunked)";
        }
        Object writer = dataWriter.get(blocking);
        if (writer == null || writer.getClass() != directWriter) {
            return "Helidon's asynchronous socket writer (server writeQueueLength > 1)";
        }
        Object socket = writerSocket.get(writer);
        if (socket == null || socket.getClass() != plainSocket && socket.getClass() != nioSocket) {
            return "Helidon socket " + (socket == null ? "null" : socket.getClass().getName())
                    + (socket != null && socket.getClass().getSimpleName().startsWith("Tls")
                    ? ": TLS, the bytes must be encrypted" : ", not a plain or NIO socket");
        }
        return null;
    }

    /** The connection: a java.net.Socket (PlainSocket) or a SocketChannel (NioSocket, Helidon 4.3+'s default). */
    Object socket(Object blocking) {
        Object socket = writerSocket.get(dataWriter.get(blocking));
        return (socket.getClass() == nioSocket ? channelDelegate : socketDelegate).get(socket);
    }

    boolean headersSent(Object blocking) {
        return !firstByte.bool(blocking);
    }

    /** Content-Length left: what Helidon's checkContentLength still lets through. */
    long remaining(Object blocking) {
        return contentLength.num(blocking) - bytesWritten.num(blocking);
    }

    /** What BlockingOutputStream.writeContent counts for {@code n} bytes of body. */
    void wrote(Object blocking, long n) {
        bytesWritten.set(blocking, bytesWritten.num(blocking) + n);
        responseBytesTotal.set(blocking, responseBytesTotal.num(blocking) + n);
    }
}
