package zc.agent.rt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import zc.agent.jfr.CopyEvent;
import zc.agent.jfr.CopyEvents;
import zc.agent.match.LoopShape;
import zc.agent.stats.SiteCounters;
import zc.agent.stats.Stats;

/**
 * What a rewritten copy loop calls instead of looping. Decides on the real objects at every call: sendfile when
 * {@link Plan} allows it, the original loop otherwise. Either way the caller sees what the loop would have left:
 * the bytes in the sink in the same order, the source stream's position, the returned total, the final
 * {@code n} ({@link #lastRead}), the buffer's contents, and the same exceptions.
 */
public final class ZcCopy {
    private static final ThreadLocal<int[]> LAST_READ = new ThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[] {-1};
        }
    };
    static volatile long minBytes = 64 * 1024;
    private static volatile boolean mmap;
    /** mode=observe: every call runs the original code, counted, with what a rewrite would have done. */
    static volatile boolean observe;
    /** Pages mapped per write with strategy=mmap: the JDK's own mapped-transfer size (FileChannelImpl). */
    private static final long MAP_CHUNK = 8L << 20;
    /** The read length of {@code in.read(buf)} and {@code in.read(buf, 0, buf.length)}, not a number in the code. */
    private static final long WHOLE_BUFFER = Long.MIN_VALUE;

    private ZcCopy() {
    }

    /**
     * Set once at start-up: mmap maps and writes instead of sendfile; enabled false keeps every loop as written;
     * receive false keeps every Files.copy(InputStream, Path) as written.
     */
    public static void configure(long minimumBytes, boolean mapped, boolean enabled, boolean receive) {
        Plan.switchedOff = !enabled;
        ZcHelpers.receiveOff = !receive;
        minBytes = minimumBytes;
        mmap = mapped;
    }

    /** mode=observe: rewritten call sites run the original code and count what a rewrite would do. */
    public static void observe(boolean on) {
        observe = on;
    }

    /** Set once at start-up: sources whose status changed within this many milliseconds keep the loop (0: off). */
    public static void recentChanges(long millis) {
        RecentChange.windowMillis = millis;
    }

    /** The fewest bytes a copy must have left to go zero-copy (sink families that must know what follows). */
    public static long minBytes() {
        return minBytes;
    }

    /** The value {@code n} holds after the last loop this thread ran through the dispatcher. */
    public static int lastRead() {
        return LAST_READ.get()[0];
    }

    public static long copy(InputStream in, OutputStream out, byte[] buf, int code) throws IOException {
        return copy(in, out, buf, WHOLE_BUFFER, code);
    }

    /**
     * A loop that reads {@code in.read(buf, 0, chunk)} with a length of its own (Jetty's {@code IO.copy} reads
     * 65536 into a buffer of that size).
     */
    public static long copyChunks(InputStream in, OutputStream out, byte[] buf, int chunk, int code)
            throws IOException {
        return copy(in, out, buf, chunk, code);
    }

    private static long copy(InputStream in, OutputStream out, byte[] buf, long chunk, int code) throws IOException {
        DispatcherInit.beforeCopy();
        CopyEvent event = CopyEvents.begin();
        String[] path = {"loop", null};
        long[] moved = {0};
        try {
            moved[0] = dispatch(in, out, buf, chunk, code, path);
            return moved[0];
        } finally {
            CopyEvents.commit(event, LoopShape.siteId(code), path[0], moved[0], path[1]);
        }
    }

    private static long dispatch(InputStream in, OutputStream out, byte[] buf, long chunk, int code, String[] path)
            throws IOException {
        LoopShape shape = LoopShape.unpack(code);
        SiteCounters counters = Stats.counters(LoopShape.siteId(code));
        counters.call();
        Plan plan = plan(in, out, buf, chunk);
        if (plan.declined != null || observe) {
            return original(plan, Long.MAX_VALUE, counters, path, new OriginalCode() {
                @Override
                public long run() throws IOException {
                    return loop(in, out, buf, chunk, shape, counters);
                }
            });
        }
        path[0] = via(plan);
        int size = chunk == WHOLE_BUFFER ? buf.length : (int) chunk;
        long sent = move(plan, buf, size, counters);
        if (sent > 0 && shape.restoreBuffer()) {
            // before the loop goes on: a short read there overwrites only the start, as the loop's would
            restoreBuffer(plan, buf, size, sent);
        }
        // The original loop from here: it copies what was appended meanwhile and makes the final read that ends it.
        SiteCounters.Original rest = handedBack(plan, counters, false, path);
        try {
            return sent + loop(in, out, buf, chunk, shape, counters);
        } finally {
            if (rest != null) {
                counters.end(rest);
            }
        }
    }

    /**
     * What a rewritten bounded loop calls ({@code while (remaining > 0) ...}): copies at most {@code remaining}
     * bytes and returns how many, leaving the source after them as the loop's reads would (it never reads past
     * the limit). {@code n} is the loop's n before it started, kept when no read happens.
     */
    public static long copyBounded(InputStream in, OutputStream out, byte[] buf, long remaining, int n, int code)
            throws IOException {
        return copyBounded(in, out, buf, remaining, n, WHOLE_BUFFER, code);
    }

    /** A bounded loop that reads at most {@code chunk} bytes at a time (Jetty's {@code IO.copy(in, out, count)}). */
    public static long copyBoundedChunks(InputStream in, OutputStream out, byte[] buf, long remaining, int n,
                                         int chunk, int code) throws IOException {
        return copyBounded(in, out, buf, remaining, n, chunk, code);
    }

    private static long copyBounded(InputStream in, OutputStream out, byte[] buf, long remaining, int n, long chunk,
                                    int code) throws IOException {
        DispatcherInit.beforeCopy();
        CopyEvent event = CopyEvents.begin();
        String[] path = {"loop", null};
        long moved = 0;
        try {
            moved = bounded(in, out, buf, remaining, n, chunk, code, path);
            return moved;
        } finally {
            CopyEvents.commit(event, LoopShape.siteId(code), path[0], moved, path[1]);
        }
    }

    private static long bounded(InputStream in, OutputStream out, byte[] buf, long remaining, int n, long chunk,
                                int code, String[] path) throws IOException {
        LoopShape shape = LoopShape.unpack(code);
        SiteCounters counters = Stats.counters(LoopShape.siteId(code));
        counters.call();
        if (remaining <= 0) {
            LAST_READ.get()[0] = n;
            return 0;
        }
        Plan plan = boundedPlan(in, out, buf, remaining, chunk);
        if (plan.declined != null || observe) {
            return original(plan, remaining, counters, path, new OriginalCode() {
                @Override
                public long run() throws IOException {
                    return boundedLoop(in, out, buf, remaining, n, chunk, shape, counters);
                }
            });
        }
        path[0] = via(plan);
        int size = chunk == WHOLE_BUFFER ? buf.length : (int) chunk;
        long sent = move(plan.limit(remaining), buf, size, counters);
        if (sent < remaining) {
            // the file ended first (or held less than its size said): the loop goes on to the read that returns -1
            // (or copies what was appended), with the buffer as the loop's reads so far left it
            if (sent > 0 && shape.restoreBuffer()) {
                restoreBuffer(plan, buf, size, sent);
            }
            SiteCounters.Original rest = handedBack(plan, counters, false, path);
            try {
                return sent + boundedLoop(in, out, buf, remaining - sent, n, chunk, shape, counters);
            } finally {
                if (rest != null) {
                    counters.end(rest);
                }
            }
        }
        LAST_READ.get()[0] = (int) ((sent - 1) % size) + 1; // the last read's size
        if (shape.restoreBuffer()) {
            restoreBuffer(plan, buf, size, sent);
        }
        return sent;
    }

    /**
     * What runs before a bounded loop that stays in place ({@code CopyLoopRewriter.rewritePrefix}): moves as much
     * of the next {@code remaining} bytes as can go zero-copy and returns how many; the loop as written then
     * starts from there (it reads past the end of the file, copies what was appended, or finds nothing left).
     * Reads of {@code chunk} bytes are what the loop makes; {@code n} is its n before it started, kept when
     * nothing moves. Returns 0, and moves nothing, wherever the loop must do it all.
     */
    public static long copyPrefix(InputStream in, OutputStream out, byte[] buf, long remaining, long chunk, int n,
                                  int code) throws IOException {
        DispatcherInit.beforeCopy();
        CopyEvent event = CopyEvents.begin();
        String[] path = {"loop", null};
        long moved = 0;
        try {
            moved = prefix(in, out, buf, remaining, chunk, n, code, path);
            return moved;
        } finally {
            CopyEvents.commit(event, LoopShape.siteId(code), path[0], moved, path[1]);
        }
    }

    /**
     * The plan of a bounded copy of {@code remaining} bytes: minBytes applies to what the loop will copy (a 1-byte
     * HTTP range of a large file keeps its loop), not only to what the file holds past its position.
     */
    private static Plan boundedPlan(InputStream in, OutputStream out, byte[] buf, long remaining, long chunk) {
        Plan plan = plan(in, out, buf, chunk); // its reasons first: a small file says "fewer bytes left"
        return plan.declined == null && remaining < minBytes ? Plan.decline("fewer bytes to copy than minBytes")
                : plan;
    }

    /** The plan of a loop reading {@code chunk} bytes at a time ({@link #WHOLE_BUFFER}: the buffer's length). */
    private static Plan plan(InputStream in, OutputStream out, byte[] buf, long chunk) {
        return chunk != WHOLE_BUFFER && (buf == null || chunk <= 0 || chunk > buf.length)
                ? Plan.decline("the loop reads chunks that do not fit its buffer") : Plan.safely(in, out, buf);
    }

    private static long prefix(InputStream in, OutputStream out, byte[] buf, long remaining, long chunk, int n,
                               int code, String[] path) throws IOException {
        SiteCounters counters = Stats.counters(LoopShape.siteId(code));
        counters.call();
        LAST_READ.get()[0] = n;
        if (remaining <= 0) {
            return 0;
        }
        Plan plan = buf == null || chunk <= 0 || chunk > buf.length
                ? Plan.decline("the loop reads chunks that do not fit its buffer")
                : boundedPlan(in, out, buf, remaining, chunk);
        if (plan.declined != null) {
            counters.fallback(plan.declined);
            path[1] = plan.declined;
            return 0;
        }
        if (observe) {
            // the loop runs as written after this: what a rewrite's prefix would move is known from the plan only
            counters.wouldMove(Math.min(remaining, plan.size - plan.start), via(plan));
            return 0;
        }
        path[0] = via(plan);
        long sent = move(plan.limit(remaining), buf, (int) chunk, counters);
        if (sent > 0) {
            LAST_READ.get()[0] = (int) ((sent - 1) % chunk) + 1; // the last read's size
            if (LoopShape.unpack(code).restoreBuffer()) {
                restoreBuffer(plan, buf, (int) chunk, sent);
            }
        }
        return sent;
    }

    /** The original code of one call; a class at each use, not a lambda (JdkAccess.rethrown: lambdas pin). */
    interface OriginalCode {
        long run() throws IOException;
    }

    /**
     * A call that runs the original code: declined (the reason counted, with its bytes), or observed (mode=observe:
     * its bytes, up to what the plan covers and at most {@code limit}, counted as what a rewrite would move).
     */
    static long original(Plan plan, long limit, SiteCounters counters, String[] path, OriginalCode code)
            throws IOException {
        if (plan.declined != null) {
            counters.fallback(plan.declined);
            path[1] = plan.declined;
        }
        SiteCounters.Original call = counters.original(plan.declined,
                plan.declined != null ? 0 : Math.min(limit, plan.size - plan.start),
                plan.declined != null ? null : via(plan), false);
        try {
            return code.run();
        } finally {
            if (plan.declined == null) {
                String late = observedDecline(plan.sink, counters, call);
                if (late != null) {
                    path[1] = late;
                }
            }
            counters.end(call);
        }
    }

    /**
     * mode=observe, after the original code of a call ran: the sink's checks on the live objects now
     * ({@link Sink#observed}); when they say a rewrite would have declined, the call counts under that reason, not
     * as one a rewrite would move. Returns the reason, or null.
     */
    static String observedDecline(Sink sink, SiteCounters counters, SiteCounters.Original call) {
        String why;
        try {
            why = sink.observed();
        } catch (Throwable t) {
            Stats.error("dispatcher", t);
            why = "internal error: " + t.getClass().getSimpleName();
        }
        if (why != null) {
            counters.fallback(why);
            call.declined(why);
        }
        return why;
    }

    /**
     * After {@link #move}: when the sink declined the rest of the call on the live objects (Tomcat's chunked or HEAD
     * response, found once it committed), the application's code that carries on is counted as a fallback's, its
     * bytes under that reason; null when the sink declined nothing. End it with {@link SiteCounters#end}.
     */
    static SiteCounters.Original handedBack(Plan plan, SiteCounters counters, boolean whole, String[] path) {
        String why = plan.sink.declined();
        if (why == null) {
            return null;
        }
        if (path != null) {
            path[1] = why;
        }
        return counters.original(why, 0, null, whole);
    }

    /** The path's name for the zc.Copy event: sendfile, mmap or a container's path. */
    static String via(Plan plan) {
        return plan.sink.via(plan.sink.mapped(mmap));
    }

    /** The bounded loop as written, with the same reads and writes. */
    static long boundedLoop(InputStream in, OutputStream out, byte[] buf, long remaining, int n, long chunk,
                            LoopShape shape, SiteCounters counters) throws IOException {
        long total = 0;
        try {
            while (remaining > 0) {
                n = shape.splitRead() ? (remaining < buf.length ? in.read(buf, 0, (int) remaining) : in.read(buf))
                        : in.read(buf, 0, (int) Math.min(chunk == WHOLE_BUFFER ? buf.length : chunk, remaining));
                if (!shape.cond().continues(n)) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
                total += n;
            }
        } finally {
            counters.bytes(SiteCounters.Path.LOOP, total);
        }
        LAST_READ.get()[0] = n;
        return total;
    }

    /**
     * Moves the planned bytes by sendfile (or mmap), leaves the source where the loop's reads would have left it,
     * and returns how many went. A step that moves nothing (the file holds fewer bytes than its size says, as
     * sysfs and FUSE files do, or it shrank) or a window that cannot be mapped (sysfs, procfs: ENODEV, EACCES)
     * ends the zero-copy part with nothing of it observable: the caller's original loop goes on from there. After
     * a failure, the source stands one chunk past the last byte delivered, as after the loop's read whose write
     * failed, and the statistics count every byte delivered, a partly written window's too. {@code chunk} is the
     * size of the reads of the loop being replaced ({@code buf} is no longer written to here).
     *
     * @throws SourceShrank when bytes past the file's new end were sent (see {@link #delivered})
     */
    static long move(Plan plan, byte[] buf, int chunk, SiteCounters counters) throws IOException {
        boolean mapped = plan.sink.mapped(mmap);
        long[] pos = {plan.start};
        long raw = 0; // of which through raw(), not zero-copy (a mapped window that failed half-way counts as sent)
        boolean failed = true;
        plan.sink.prepare();
        try {
            while (pos[0] < plan.size) {
                long before = pos[0];
                if (mapped) {
                    if (!mappedWrite(plan, pos)) {
                        break; // the window cannot be mapped: the loop takes over, nothing of it delivered
                    }
                } else {
                    long n = plan.sink.transferFrom(plan.source, before, plan.size - before);
                    if (n < 0) {
                        declinedHere(plan, counters, raw); // the application's code goes on from here
                        break;
                    }
                    pos[0] += n;
                }
                delivered(plan, pos[0], mapped);
                if (pos[0] > before) {
                    continue;
                }
                if (plan.sink.declined() != null) {
                    declinedHere(plan, counters, raw); // a mapped sink handed the rest back
                    break;
                }
                // Nothing moved here. A file that holds nothing at this position (its size lied, or it shrank) ends
                // zero-copy and the loop takes over; a sink not ready yet (a container that has not committed its
                // response) takes one chunk the ordinary way, through raw(), which waits as the application's does.
                int k = plan.source.read(ByteBuffer.wrap(buf, 0, (int) Math.min(chunk, plan.size - before)), before);
                if (k <= 0) {
                    break;
                }
                plan.sink.raw().write(buf, 0, k);
                pos[0] += k;
                raw += k;
            }
            failed = false;
        } finally {
            long zero = pos[0] - plan.start - raw;
            counters.bytes(mapped ? SiteCounters.Path.MMAP : SiteCounters.Path.SENDFILE, zero);
            counters.bytes(SiteCounters.Path.LOOP, raw);
            counters.via(plan.sink.via(mapped), zero);
            long at = pos[0];
            // The loop would have read one chunk past the last byte it managed to write before a failure.
            long left = failed ? Math.min(plan.size, at + chunk - (at - plan.start) % chunk) : at;
            plan.source.position(left);
            if (plan.consumed != null) {
                plan.consumed.read(left - plan.start);
            }
        }
        return pos[0] - plan.start;
    }

    /** The sink declined the rest of the call: counted once, with the bytes already sent through its stream. */
    private static void declinedHere(Plan plan, SiteCounters counters, long raw) {
        counters.fallback(plan.sink.declined());
        counters.fallbackBytes(plan.sink.declined(), raw);
    }

    /**
     * Fails loudly when the file now ends before {@code end}, the last byte sent: sendfile queues references to
     * page-cache pages, and truncation zeroes the tail of the page it cuts, so the peer may receive zeros the file
     * never held at those offsets (with mmap, the write itself copies them). The loop would have stopped at the new
     * end; no copy can take the bytes back, so the application is told instead of handed a complete-looking copy.
     */
    private static void delivered(Plan plan, long end, boolean mapped) throws IOException {
        long now = plan.source.size();
        if (now < end) {
            throw new SourceShrank(now, end, mapped);
        }
    }

    /**
     * Maps up to 8 MiB of the source at {@code pos[0]}, writes it to the sink and unmaps it at once
     * ({@link MappedWindow}); {@code pos[0]} moves with every write. False when zero-copy must stop here with
     * nothing of this window delivered: it cannot be mapped, or explicit unmapping is not available on this JDK. A
     * file truncated meanwhile makes the write fail (EFAULT: the pages are gone); that ends the mapped part like a
     * short read. Java code never touches the mapping, so SIGBUS cannot hit.
     */
    private static boolean mappedWrite(Plan plan, long[] pos) throws IOException {
        if (MappedWindow.unavailable() != null) {
            return false;
        }
        long at = pos[0];
        long len = Math.min(plan.sink.mappedWindow(MAP_CHUNK), plan.size - at);
        try {
            MappedWindow.write(plan.source, at, len, plan.sink, pos);
            return true;
        } catch (MappedWindow.MapFailed e) {
            return false;
        } catch (IOException e) {
            if (plan.source.size() < at + len) {
                return true; // the file shrank under the window: delivered() decides
            }
            throw e;
        }
    }

    /** The source file shrank below what zc had already sent: the copy fails instead of looking complete. */
    static final class SourceShrank extends IOException {
        SourceShrank(long size, long sent, boolean mapped) {
            super("zc: the source file shrank to " + size + " bytes while " + (mapped ? "mmap" : "sendfile")
                    + " had sent bytes up to " + sent + "; the peer may have received bytes the file never held"
                    + " (docs/agent.md, Known differences)");
        }
    }

    /**
     * Puts into the buffer what the loop's last reads left there: the last chunk at the start, and after it the
     * rest of the chunk before. Regular files return full reads until the end, so the chunks are known.
     */
    private static void restoreBuffer(Plan plan, byte[] buf, int chunk, long sent) throws IOException {
        int b = chunk;
        long end = plan.start + sent;
        int last = (int) (sent % b == 0 ? Math.min(b, sent) : sent % b);
        readFully(plan, buf, 0, last, end - last);
        if (sent > last && last < b) {
            readFully(plan, buf, last, b - last, end - b);
        }
    }

    private static void readFully(Plan plan, byte[] buf, int off, int len, long position) throws IOException {
        ByteBuffer dst = ByteBuffer.wrap(buf, off, len);
        try {
            while (dst.hasRemaining()) {
                if (plan.source.read(dst, position + dst.position() - off) <= 0) {
                    return;
                }
            }
        } catch (OutOfMemoryError noDirectMemory) {
            // FileChannel.read into a heap buffer goes through a temporary direct buffer of its length, which a
            // tight -XX:MaxDirectMemorySize refuses ("Cannot reserve N bytes of direct buffer memory"); the
            // application's own loop reads into its array without one. A mapping takes no direct memory.
            int done = dst.position() - off;
            try {
                long left = Math.min(len - done, Math.max(0, plan.source.size() - (position + done)));
                MappedWindow.read(plan.source, position + done, buf, off + done, (int) left);
            } catch (IOException | RuntimeException | Error e) {
                // the bytes are sent; only the array's last contents would differ from the loop's (docs/agent.md)
                zc.agent.stats.Stats.error("restoring the loop's buffer after a zero-copy send", e);
            }
        }
    }

    /** The loop as the application wrote it, with the same read and write calls. */
    static long loop(InputStream in, OutputStream out, byte[] buf, long chunk, LoopShape shape,
                     SiteCounters counters) throws IOException {
        long total = 0;
        int n = read(in, buf, chunk, shape);
        try {
            while (shape.cond().continues(n)) {
                out.write(buf, 0, n);
                total += n;
                n = read(in, buf, chunk, shape);
            }
        } finally {
            counters.bytes(SiteCounters.Path.LOOP, total);
        }
        LAST_READ.get()[0] = n;
        return total;
    }

    private static int read(InputStream in, byte[] buf, long chunk, LoopShape shape) throws IOException {
        return !shape.readRange() ? in.read(buf) : in.read(buf, 0, chunk == WHOLE_BUFFER ? buf.length : (int) chunk);
    }
}
