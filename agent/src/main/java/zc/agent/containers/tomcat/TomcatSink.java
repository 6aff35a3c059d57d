package zc.agent.containers.tomcat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import zc.agent.rt.Sink;

/**
 * Sendfile into a Tomcat NIO connector's socket, in the place of the writes a copy loop makes through
 * CoyoteOutputStream. Each transfer first proves, on the live objects, what Tomcat's own write would do with the
 * bytes: the response committed (until then the loop's writes go on, so Tomcat commits it when they overflow its
 * buffer, exactly as before; a body that fits in the buffer is never sent by sendfile), exactly the identity output filter active (Content-Length, or a body delimited by
 * the connection's close), Tomcat's buffers flushed by its own flush (which waits for the socket, with the write
 * timeout, as a blocking write does), at most the remaining Content-Length. The sendfile itself runs as
 * NioSocketWrapper.doWrite runs a blocking write on the non-blocking channel: under its write lock, waiting for the
 * poller's signal when the socket is full, with the write timeout. Then Tomcat's counters are moved as its write
 * moves them, and a failed sendfile is reported as Tomcat reports a failed write.
 */
final class TomcatSink implements Sink {
    private final OutputStream out;
    private final TomcatAccess tomcat;
    private final Object ob;
    private final Object coyote;
    private final Object http11;
    private final Object wrapper;
    private String declined;
    /**
     * The last sendfile stopped short: the socket's send buffer is full. The next one waits for the poller first,
     * as NioEndpoint.processSendfile does after a short transferTo (it registers OP_WRITE and returns): retrying at
     * once costs a sendfile that returns nothing (EAGAIN), or one that sends the few KiB drained meanwhile.
     */
    private boolean full;

    TomcatSink(OutputStream out, TomcatAccess tomcat, Object ob, Object coyote, Object http11, Object wrapper) {
        this.out = out;
        this.tomcat = tomcat;
        this.ob = ob;
        this.coyote = coyote;
        this.http11 = http11;
        this.wrapper = wrapper;
    }

    @Override
    public void prepare() {
        // Tomcat's buffers are flushed before every sendfile (transferFrom): the loop's own writes may come between
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        try {
            return sendfile(source, position, count);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Tomcat internals changed under zc", e);
        }
    }

    private long sendfile(FileChannel source, long position, long count)
            throws IOException, ReflectiveOperationException {
        if (tomcat.suspendedOrClosed(ob)) {
            return decline("Tomcat response suspended or closed: its stream discards or refuses the bytes");
        }
        if (!tomcat.committed(coyote)) {
            // The loop's own writes go on (the dispatcher writes a chunk through CoyoteOutputStream): Tomcat commits
            // when they overflow its buffer, choosing the headers and output filters exactly as without zc; a flush
            // here would commit early, and make gzip sync-flush
            return 0;
        }
        Object[] filters = tomcat.activeFilters(http11);
        String unfit = unfit(filters);
        if (unfit != null) {
            return decline(unfit);
        }
        Object identity = filters[0];
        long limit = count;
        if (tomcat.contentLength(identity) >= 0) {
            limit = Math.min(limit, tomcat.remaining(identity));
            if (limit <= 0) {
                return decline("Content-Length reached: Tomcat discards the rest");
            }
        }
        if (tomcat.buffered(ob) > 0 || tomcat.hasDataToWrite(wrapper)) {
            out.flush(); // Tomcat's own blocking flush: waits for the socket with the write timeout, fails its way
        }
        Object channel = tomcat.channel(wrapper);
        if (tomcat.closed(channel) || tomcat.previousIOException(wrapper) != null) {
            return decline("Tomcat connection failed or closed earlier: its own write reports it");
        }
        long n;
        try {
            n = blockingSendfile(source, position, Math.min(limit, Integer.MAX_VALUE), tomcat.ioChannel(channel));
        } catch (IOException e) {
            throw tomcat.failed(ob, coyote, e);
        }
        if (n > 0) {
            tomcat.wrote(ob, coyote, http11, identity, wrapper, (int) n);
        }
        return n;
    }

    /**
     * NioSocketWrapper.doWrite(block=true) with sendfile in the place of the channel's write: under the write lock;
     * when the socket is full, the poller is asked for OP_WRITE and the lock waited on, the write timeout counted
     * down over the waits exactly as doWrite counts it (a SocketTimeoutException remembered on the wrapper); after a
     * short sendfile ({@link #full}) the wait comes first. Returns
     * once some bytes went, or 0 when the file has none left at {@code position} (it shrank).
     */
    private long blockingSendfile(FileChannel source, long position, long count, SocketChannel socket)
            throws IOException, ReflectiveOperationException {
        Object lock = tomcat.writeLock(wrapper);
        long timeout = tomcat.writeTimeout(wrapper);
        long startNanos = 0;
        while (true) {
            if (startNanos > 0) {
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                timeout -= elapsedMillis == 0 ? 1 : elapsedMillis;
                if (timeout <= 0) {
                    throw tomcat.timedOut(wrapper);
                }
            }
            synchronized (lock) {
                if (!full) {
                    long n = source.transferTo(position, count, socket);
                    if (n > 0 || source.size() <= position) {
                        full = n > 0 && n < count;
                        return n;
                    }
                }
                full = false;
                if (timeout > 0) {
                    startNanos = System.nanoTime();
                }
                tomcat.awaitWritable(wrapper, lock, timeout);
            }
        }
    }

    /**
     * The filter check of {@link #sendfile} on the committed response (its Content-Length count is spent by then:
     * the loop wrote the body). A response still uncommitted holds the whole body in Tomcat's buffer: a rewrite
     * too would have written it through the stream, chunk by chunk, waiting for a commit that never came.
     */
    @Override
    public String observed() throws Throwable {
        if (!tomcat.committed(coyote)) {
            return "Tomcat response not committed: the body fit in Tomcat's buffer";
        }
        return unfit(tomcat.activeFilters(http11));
    }

    private long decline(String reason) {
        declined = reason;
        return -1;
    }

    /**
     * Why Tomcat's filters for this response rule sendfile out (what changes the bytes is named first), or null for
     * the identity filter alone.
     */
    private String unfit(Object[] filters) {
        if (filters.length == 1 && filters[0].getClass() == tomcat.identityFilter) {
            return null;
        }
        StringBuilder names = new StringBuilder();
        for (Object f : filters) {
            names.append(names.length() == 0 ? "" : ", ").append(f.getClass().getName());
        }
        String all = names.toString();
        if (all.contains(".GzipOutputFilter")) {
            return "Tomcat compresses this response (gzip)";
        }
        if (all.contains(".VoidOutputFilter")) {
            return "HEAD request: Tomcat discards the body";
        }
        if (all.contains(".ChunkedOutputFilter")) {
            return "chunked response: Tomcat frames each buffer as a chunk (one sendfile would change the "
                    + "framing and the access log's byte count)";
        }
        return "Tomcat output filters " + all + " (only the identity filter alone is sent by sendfile)";
    }

    @Override
    public int write(ByteBuffer mapped) {
        return -1; // never asked: mapped(...) is false
    }

    @Override
    public boolean mapped(boolean strategyMmap) {
        // A mapped window given to CoyoteOutputStream.write(ByteBuffer) is copied by Java code into Tomcat's 8 KiB
        // socket buffer: a truncated file would raise SIGBUS (InternalError) inside Tomcat, and it saves no CPU
        return false;
    }

    @Override
    public OutputStream raw() {
        return out;
    }

    @Override
    public String via(boolean mapped) {
        return "tomcat-sendfile";
    }

    @Override
    public String declined() {
        return declined;
    }
}
