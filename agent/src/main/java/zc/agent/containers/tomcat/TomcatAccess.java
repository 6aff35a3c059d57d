package zc.agent.containers.tomcat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import zc.agent.containers.Reflect;

/**
 * The members of Tomcat 10.1 / 11 that a sendfile into the connector's socket reads and updates, found by name in
 * the class loader of the real CoyoteOutputStream (Tomcat's classes are not visible to zc's loader) and resolved
 * once per loader. A member that is missing or of another type means a Tomcat this code was not written against:
 * the family then declines with that member's name.
 */
final class TomcatAccess {
    private static final ClassValue<Object> BY_STREAM_CLASS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> coyoteOutputStream) {
            try {
                return new TomcatAccess(coyoteOutputStream.getClassLoader());
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "Tomcat version not recognised (" + e + ")";
            }
        }
    };

    // org.apache.catalina.connector: CoyoteOutputStream, OutputBuffer, ClientAbortException
    private final Field ob;
    private final Field coyoteResponse;
    private final Field bb;
    private final Field bytesWritten;
    /** Tomcat 11: counts and closes the response once Content-Length is reached; absent in 10.1. */
    private final Method updateBytesWritten;
    private final Method isBlocking;
    private final Method isSuspended;
    private final Method isClosed;
    private final Method setErrorException;
    private final Constructor<?> clientAbort;
    // org.apache.coyote: Response, ActionCode
    private final Field outputBuffer;
    private final Field contentWritten;
    private final Method isCommitted;
    private final Method action;
    private final Object closeNow;
    // org.apache.coyote.http11: Http11OutputBuffer and its filters
    final Class<?> http11OutputBuffer;
    private final Field activeFilters;
    private final Field lastActiveFilter;
    private final Field socketWrapper;
    private final Field byteCount;
    final Class<?> identityFilter;
    private final Field contentLength;
    private final Field remaining;
    // org.apache.tomcat.util.net: NioEndpoint$NioSocketWrapper, NioChannel
    final Class<?> nioSocketWrapper;
    final Class<?> nioChannel;
    private final Method getSocket;
    private final Method hasDataToWrite;
    private final Method updateLastWrite;
    private final Method getIOChannel;
    private final Field writeLock;
    private final Field writeBlocking;
    private final Method registerWriteInterest;
    private final Method getWriteTimeout;
    private final Field previousIOException;
    private final Object closedChannel;

    private TomcatAccess(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> stream = load(loader, "org.apache.catalina.connector.CoyoteOutputStream");
        Class<?> buffer = load(loader, "org.apache.catalina.connector.OutputBuffer");
        Class<?> response = load(loader, "org.apache.coyote.Response");
        ob = Reflect.field(stream, "ob", buffer);
        coyoteResponse = Reflect.field(buffer, "coyoteResponse", response);
        bb = Reflect.field(buffer, "bb", ByteBuffer.class);
        bytesWritten = Reflect.field(buffer, "bytesWritten", long.class);
        updateBytesWritten = Reflect.optional(buffer, "updateBytesWritten", int.class);
        isBlocking = Reflect.method(buffer, "isBlocking");
        isSuspended = Reflect.method(buffer, "isSuspended");
        isClosed = Reflect.method(buffer, "isClosed");
        setErrorException = Reflect.method(buffer, "setErrorException", Exception.class);
        clientAbort = load(loader, "org.apache.catalina.connector.ClientAbortException").getConstructor(Throwable.class);
        outputBuffer = Reflect.field(response, "outputBuffer", load(loader, "org.apache.coyote.OutputBuffer"));
        contentWritten = Reflect.field(response, "contentWritten", long.class);
        isCommitted = Reflect.method(response, "isCommitted");
        Class<?> actionCode = load(loader, "org.apache.coyote.ActionCode");
        action = Reflect.method(response, "action", actionCode, Object.class);
        closeNow = actionCode.getField("CLOSE_NOW").get(null);
        http11OutputBuffer = load(loader, "org.apache.coyote.http11.Http11OutputBuffer");
        Class<?> filter = load(loader, "org.apache.coyote.http11.OutputFilter");
        activeFilters = Reflect.field(http11OutputBuffer, "activeFilters", filter.arrayType());
        lastActiveFilter = Reflect.field(http11OutputBuffer, "lastActiveFilter", int.class);
        Class<?> wrapperBase = load(loader, "org.apache.tomcat.util.net.SocketWrapperBase");
        socketWrapper = Reflect.field(http11OutputBuffer, "socketWrapper", wrapperBase);
        byteCount = Reflect.field(http11OutputBuffer, "byteCount", long.class);
        identityFilter = load(loader, "org.apache.coyote.http11.filters.IdentityOutputFilter");
        contentLength = Reflect.field(identityFilter, "contentLength", long.class);
        remaining = Reflect.field(identityFilter, "remaining", long.class);
        nioSocketWrapper = load(loader, "org.apache.tomcat.util.net.NioEndpoint$NioSocketWrapper");
        nioChannel = load(loader, "org.apache.tomcat.util.net.NioChannel");
        getSocket = Reflect.method(wrapperBase, "getSocket");
        hasDataToWrite = Reflect.method(wrapperBase, "hasDataToWrite");
        updateLastWrite = Reflect.method(nioSocketWrapper, "updateLastWrite");
        getIOChannel = Reflect.method(nioChannel, "getIOChannel");
        writeLock = Reflect.field(nioSocketWrapper, "writeLock", Object.class);
        writeBlocking = Reflect.field(nioSocketWrapper, "writeBlocking", boolean.class);
        registerWriteInterest = Reflect.method(nioSocketWrapper, "registerWriteInterest");
        getWriteTimeout = Reflect.method(wrapperBase, "getWriteTimeout");
        previousIOException = Reflect.field(wrapperBase, "previousIOException", IOException.class);
        closedChannel = Reflect.field(nioChannel, "CLOSED_NIO_CHANNEL", nioChannel).get(null);
    }

    /** The members for this CoyoteOutputStream's Tomcat, or why there are none. */
    static Object of(Class<?> coyoteOutputStream) {
        return BY_STREAM_CLASS.get(coyoteOutputStream);
    }

    Object outputBuffer(Object coyoteOutputStream) throws IllegalAccessException {
        return ob.get(coyoteOutputStream);
    }

    Object coyoteResponse(Object outputBuffer) throws IllegalAccessException {
        return coyoteResponse.get(outputBuffer);
    }

    /** The coyote Response's output buffer: Http11OutputBuffer for HTTP/1.1, a stream's buffer for HTTP/2. */
    Object protocolBuffer(Object coyoteResponse) throws IllegalAccessException {
        return outputBuffer.get(coyoteResponse);
    }

    boolean blocking(Object outputBuffer) throws ReflectiveOperationException, IOException {
        return (Boolean) Reflect.call(isBlocking, outputBuffer);
    }

    boolean suspendedOrClosed(Object outputBuffer) throws ReflectiveOperationException, IOException {
        return (Boolean) Reflect.call(isSuspended, outputBuffer) || (Boolean) Reflect.call(isClosed, outputBuffer);
    }

    /** Bytes the application wrote into Tomcat's response buffer that it has not passed on yet. */
    int buffered(Object outputBuffer) throws IllegalAccessException {
        return ((ByteBuffer) bb.get(outputBuffer)).remaining();
    }

    boolean committed(Object coyoteResponse) throws ReflectiveOperationException, IOException {
        return (Boolean) Reflect.call(isCommitted, coyoteResponse);
    }

    Object[] activeFilters(Object http11) throws IllegalAccessException {
        int last = lastActiveFilter.getInt(http11);
        Object[] all = (Object[]) activeFilters.get(http11);
        return java.util.Arrays.copyOf(all, last + 1);
    }

    long contentLength(Object identity) throws IllegalAccessException {
        return contentLength.getLong(identity);
    }

    long remaining(Object identity) throws IllegalAccessException {
        return remaining.getLong(identity);
    }

    Object socketWrapper(Object http11) throws IllegalAccessException {
        return socketWrapper.get(http11);
    }

    Object channel(Object socketWrapper) throws ReflectiveOperationException, IOException {
        return Reflect.call(getSocket, socketWrapper);
    }

    boolean closed(Object channel) {
        return channel == closedChannel;
    }

    SocketChannel ioChannel(Object nioChannel) throws ReflectiveOperationException, IOException {
        return (SocketChannel) Reflect.call(getIOChannel, nioChannel);
    }

    boolean hasDataToWrite(Object socketWrapper) throws ReflectiveOperationException, IOException {
        return (Boolean) Reflect.call(hasDataToWrite, socketWrapper);
    }

    IOException previousIOException(Object socketWrapper) throws IllegalAccessException {
        return (IOException) previousIOException.get(socketWrapper);
    }

    Object writeLock(Object socketWrapper) throws IllegalAccessException {
        return writeLock.get(socketWrapper);
    }

    long writeTimeout(Object socketWrapper) throws ReflectiveOperationException, IOException {
        return (Long) Reflect.call(getWriteTimeout, socketWrapper);
    }

    /**
     * NioSocketWrapper.doWrite's wait for a full socket, called holding the write lock: asks the poller once for
     * OP_WRITE (writeBlocking guards against a second registration), then waits on the lock, which the poller
     * notifies when the socket drains.
     */
    void awaitWritable(Object socketWrapper, Object lock, long timeoutMillis)
            throws ReflectiveOperationException, IOException {
        if (!writeBlocking.getBoolean(socketWrapper)) {
            writeBlocking.setBoolean(socketWrapper, true);
            Reflect.call(registerWriteInterest, socketWrapper);
        }
        try {
            if (timeoutMillis > 0) {
                lock.wait(timeoutMillis);
            } else {
                lock.wait();
            }
        } catch (InterruptedException ignore) {
            // as in doWrite: most likely the poller's signal, possibly spurious; the caller checks and goes on
        }
    }

    /** doWrite's write timeout: remembered on the wrapper, so that later writes on the connection fail at once. */
    IOException timedOut(Object socketWrapper) throws IllegalAccessException {
        IOException e = new java.net.SocketTimeoutException();
        previousIOException.set(socketWrapper, e);
        return e;
    }

    /**
     * What Tomcat's own path updates for {@code n} bytes written: NioSocketWrapper.doWrite's last-write time,
     * SocketOutputBuffer's byteCount (the access log's %b), IdentityOutputFilter's remaining count,
     * coyote Response.doWrite's contentWritten and OutputBuffer's bytesWritten (Tomcat 11's updateBytesWritten,
     * which also closes the response once Content-Length is reached).
     */
    void wrote(Object outputBuffer, Object coyoteResponse, Object http11, Object identity, Object socketWrapper,
               int n) throws IOException, ReflectiveOperationException {
        Reflect.call(updateLastWrite, socketWrapper);
        byteCount.setLong(http11, byteCount.getLong(http11) + n);
        if (contentLength.getLong(identity) >= 0) {
            remaining.setLong(identity, remaining.getLong(identity) - n);
        }
        contentWritten.setLong(coyoteResponse, contentWritten.getLong(coyoteResponse) + n);
        if (updateBytesWritten != null) {
            Reflect.call(updateBytesWritten, outputBuffer, n);
        } else {
            bytesWritten.setLong(outputBuffer, bytesWritten.getLong(outputBuffer) + n);
        }
    }

    /**
     * A failed socket write, as Tomcat reports it: SocketOutputBuffer.doWrite closes the connection
     * (ActionCode.CLOSE_NOW), OutputBuffer.realWriteBytes wraps the error in a ClientAbortException, and
     * CoyoteOutputStream.handleIOException records that on the response before throwing it.
     */
    IOException failed(Object outputBuffer, Object coyoteResponse, IOException cause)
            throws ReflectiveOperationException, IOException {
        Reflect.call(action, coyoteResponse, closeNow, cause);
        IOException abort = (IOException) clientAbort.newInstance(cause);
        Reflect.call(setErrorException, outputBuffer, abort);
        return abort;
    }

    private static Class<?> load(ClassLoader loader, String name) throws ClassNotFoundException {
        return Class.forName(name, false, loader);
    }
}
