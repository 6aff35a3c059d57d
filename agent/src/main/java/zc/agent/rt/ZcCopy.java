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
    private static final ThreadLocal<int[]> LAST_READ = ThreadLocal.withInitial(() -> new int[] {-1});
    static volatile long minBytes = 64 * 1024;
    private static volatile boolean mmap;
    /** Pages mapped per write with strategy=mmap: the JDK's own mapped-transfer size (FileChannelImpl). */
    private static final long MAP_CHUNK = 8L << 20;

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

    /** Set once at start-up: sources whose status changed within this many milliseconds keep the loop (0: off). */
    public static void recentChanges(long millis) {
        RecentChange.windowMillis = millis;
    }

    /** The value {@code n} holds after the last loop this thread ran through the dispatcher. */
    public static int lastRead() {
        return LAST_READ.get()[0];
    }

    public static long copy(InputStream in, OutputStream out, byte[] buf, int code) throws IOException {
        CopyEvent event = CopyEvents.begin();
        String[] path = {"loop", null};
        long[] moved = {0};
        try {
            moved[0] = dispatch(in, out, buf, code, path);
            return moved[0];
        } finally {
            CopyEvents.commit(event, LoopShape.siteId(code), path[0], moved[0], path[1]);
        }
    }

    private static long dispatch(InputStream in, OutputStream out, byte[] buf, int code, String[] path)
            throws IOException {
        LoopShape shape = LoopShape.unpack(code);
        SiteCounters counters = Stats.counters(LoopShape.siteId(code));
        counters.call();
        Plan plan = Plan.safely(in, out, buf);
        if (plan.declined != null) {
            counters.fallback(plan.declined);
            path[1] = plan.declined;
            return loop(in, out, buf, shape, counters);
        }
        path[0] = mmap ? "mmap" : "sendfile";
        long sent = move(plan, buf, buf.length, counters);
        if (sent > 0 && shape.restoreBuffer()) {
            // before the loop goes on: a short read there overwrites only the start, as the loop's would
            restoreBuffer(plan, buf, buf.length, sent);
        }
        // The original loop from here: it copies what was appended meanwhile and makes the final read that ends it.
        return sent + loop(in, out, buf, shape, counters);
    }

    /**
     * What a rewritten bounded loop calls ({@code while (remaining > 0) ...}): copies at most {@code remaining}
     * bytes and returns how many, leaving the source after them as the loop's reads would (it never reads past
     * the limit). {@code n} is the loop's n before it started, kept when no read happens.
     */
    public static long copyBounded(InputStream in, OutputStream out, byte[] buf, long remaining, int n, int code)
            throws IOException {
        CopyEvent event = CopyEvents.begin();
        String[] path = {"loop", null};
        long moved = 0;
        try {
            moved = bounded(in, out, buf, remaining, n, code, path);
            return moved;
        } finally {
            CopyEvents.commit(event, LoopShape.siteId(code), path[0], moved, path[1]);
        }
    }

    private static long bounded(InputStream in, OutputStream out, byte[] buf, long remaining, int n, int code,
                                String[] path) throws IOException {
        LoopShape shape = LoopShape.unpack(code);
        SiteCounters counters = Stats.counters(LoopShape.siteId(code));
        counters.call();
        if (remaining <= 0) {
            LAST_READ.get()[0] = n;
            return 0;
        }
        Plan plan = Plan.safely(in, out, buf);
        if (plan.declined != null) {
            counters.fallback(plan.declined);
            path[1] = plan.declined;
            return boundedLoop(in, out, buf, remaining, n, shape, counters);
        }
        path[0] = mmap ? "mmap" : "sendfile";
        long sent = move(plan.limit(remaining), buf, buf.length, counters);
        if (sent < remaining) {
            // the file ended first (or held less than its size said): the loop goes on to the read that returns -1
            // (or copies what was appended), with the buffer as the loop's reads so far left it
            if (sent > 0 && shape.restoreBuffer()) {
                restoreBuffer(plan, buf, buf.length, sent);
            }
            return sent + boundedLoop(in, out, buf, remaining - sent, n, shape, counters);
        }
        LAST_READ.get()[0] = (int) ((sent - 1) % buf.length) + 1; // the last read's size
        if (shape.restoreBuffer()) {
            restoreBuffer(plan, buf, buf.length, sent);
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

    private static long prefix(InputStream in, OutputStream out, byte[] buf, long remaining, long chunk, int n,
                               int code, String[] path) throws IOException {
        SiteCounters counters = Stats.counters(LoopShape.siteId(code));
        counters.call();
        LAST_READ.get()[0] = n;
        if (remaining <= 0) {
            return 0;
        }
        Plan plan = buf == null || chunk <= 0 || chunk > buf.length
                ? Plan.decline("the loop reads chunks that do not fit its buffer") : Plan.safely(in, out, buf);
        if (plan.declined != null) {
            counters.fallback(plan.declined);
            path[1] = plan.declined;
            return 0;
        }
        path[0] = mmap ? "mmap" : "sendfile";
        long sent = move(plan.limit(remaining), buf, (int) chunk, counters);
        if (sent > 0) {
            LAST_READ.get()[0] = (int) ((sent - 1) % chunk) + 1; // the last read's size
            if (LoopShape.unpack(code).restoreBuffer()) {
                restoreBuffer(plan, buf, (int) chunk, sent);
            }
        }
        return sent;
    }

    /** The bounded loop as written, with the same reads and writes. */
    static long boundedLoop(InputStream in, OutputStream out, byte[] buf, long remaining, int n, LoopShape shape,
                            SiteCounters counters) throws IOException {
        long total = 0;
        try {
            while (remaining > 0) {
                n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
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
        boolean mapped = mmap;
        long[] pos = {plan.start};
        boolean failed = true;
        plan.sink.prepare();
        try {
            while (pos[0] < plan.size) {
                long before = pos[0];
                if (mapped) {
                    if (!mappedWrite(plan, pos)) {
                        break;
                    }
                } else {
                    pos[0] += plan.sink.transferFrom(plan.source, pos[0], plan.size - pos[0]);
                }
                delivered(plan, pos[0], mapped);
                if (pos[0] == before) {
                    break; // nothing at this position (the size lied, or the file shrank): the loop takes over
                }
            }
            failed = false;
        } finally {
            counters.bytes(mapped ? SiteCounters.Path.MMAP : SiteCounters.Path.SENDFILE, pos[0] - plan.start);
            long at = pos[0];
            // The loop would have read one chunk past the last byte it managed to write before a failure.
            long left = failed ? Math.min(plan.size, at + chunk - (at - plan.start) % chunk) : at;
            plan.source.position(left);
        }
        return pos[0] - plan.start;
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
        long len = Math.min(MAP_CHUNK, plan.size - at);
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
        while (dst.hasRemaining()) {
            if (plan.source.read(dst, position + dst.position() - off) <= 0) {
                return;
            }
        }
    }

    /** The loop as the application wrote it, with the same read and write calls. */
    static long loop(InputStream in, OutputStream out, byte[] buf, LoopShape shape, SiteCounters counters)
            throws IOException {
        long total = 0;
        int n = shape.readRange() ? in.read(buf, 0, buf.length) : in.read(buf);
        try {
            while (shape.cond().continues(n)) {
                out.write(buf, 0, n);
                total += n;
                n = shape.readRange() ? in.read(buf, 0, buf.length) : in.read(buf);
            }
        } finally {
            counters.bytes(SiteCounters.Path.LOOP, total);
        }
        LAST_READ.get()[0] = n;
        return total;
    }
}
