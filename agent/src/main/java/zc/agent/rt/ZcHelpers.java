package zc.agent.rt;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import zc.agent.jfr.CopyEvent;
import zc.agent.jfr.CopyEvents;
import zc.agent.match.Helper;
import zc.agent.stats.SiteCounters;
import zc.agent.stats.Stats;

/**
 * What a redirected copy-helper call runs instead ({@link Helper}). It goes zero-copy under the same rules as the
 * loops ({@link Plan}); then, for a stream source, it calls the original helper for the rest, which finds the
 * source at its end (or copies what was appended meanwhile) and keeps the helper's own counting and closing.
 * Whatever it cannot take, it hands whole to the original, with the reason counted.
 */
public final class ZcHelpers {
    /** receive=off: every Files.copy(InputStream, Path) runs as written. */
    static volatile boolean receiveOff;

    private ZcHelpers() {
    }

    public static long copy(Object source, OutputStream out, MethodHandle original, int code) throws Throwable {
        DispatcherInit.beforeCopy();
        CopyEvent event = CopyEvents.begin();
        SiteCounters counters = Stats.counters(code >>> 4);
        long before = counters.bytes(SiteCounters.Path.SENDFILE) + counters.bytes(SiteCounters.Path.MMAP);
        long result = 0;
        try {
            result = dispatch(source, out, original, code, counters);
            return result;
        } finally {
            long zeroCopy = counters.bytes(SiteCounters.Path.SENDFILE) + counters.bytes(SiteCounters.Path.MMAP)
                    - before;
            CopyEvents.commit(event, code >>> 4, zeroCopy > 0 ? "zero-copy" : "original", result, null);
        }
    }

    /**
     * Files.copy(InputStream, Path, CopyOption...): the JDK's own method runs, with a {@link ReceivingStream} in
     * place of a socket's stream, so options, the target's creation and closing stay the JDK's.
     */
    public static long receive(InputStream in, Path target, CopyOption[] options, MethodHandle original, int code)
            throws Throwable {
        DispatcherInit.beforeCopy();
        CopyEvent event = CopyEvents.begin();
        SiteCounters counters = Stats.counters(code >>> 4);
        counters.call();
        long result = 0;
        String declined = null;
        ReceivingStream receiving = null;
        try {
            Object source = receivable(in, target);
            if (source instanceof String || ZcCopy.observe) {
                declined = source instanceof String why ? why : null;
                if (declined != null) {
                    counters.fallback(declined);
                }
                SiteCounters.Original call = counters.original(declined, Long.MAX_VALUE, "direct", true);
                try {
                    result = (long) original.invoke(in, target, options);
                    counters.bytes(SiteCounters.Path.LOOP, result);
                } finally {
                    counters.end(call);
                }
                return result;
            }
            receiving = new ReceivingStream(in, (SocketSource) source, counters);
            result = (long) original.invoke((InputStream) receiving, target, options);
            return result;
        } finally {
            if (receiving != null) {
                declined = receiving.declined;
            }
            CopyEvents.commit(event, code >>> 4, receiving != null && receiving.received > 0 ? "direct" : "original",
                    result, declined);
        }
    }

    /** The socket a receive reads from, or why the JDK's own copy runs. Never throws. */
    private static Object receivable(InputStream in, Path target) {
        try {
            if (receiveOff) {
                return "receive switched off (receive=off)";
            }
            if (in == null || target == null) {
                return "null argument";
            }
            if (target.getFileSystem() != FileSystems.getDefault()) {
                return "target not on the default file system";
            }
            if (JdkAccess.unavailable() != null) {
                return JdkAccess.unavailable();
            }
            return SocketSource.of(in);
        } catch (Throwable t) {
            Stats.error("dispatcher", t);
            return "internal error: " + t.getClass().getSimpleName();
        }
    }

    private static long dispatch(Object source, OutputStream out, MethodHandle original, int code,
                                 SiteCounters counters) throws Throwable {
        Helper helper = Helper.unpack(code);
        counters.call();
        if (source instanceof Path path) {
            return path(path, out, original, helper, counters);
        }
        if (source != null && out != null) {
            return stream((InputStream) source, out, original, helper, counters);
        }
        return fallback("null argument", counters, original, helper, source, out);
    }

    private static long stream(InputStream in, OutputStream out, MethodHandle original, Helper helper,
                               SiteCounters counters) throws Throwable {
        if (helper == Helper.TRANSFER_TO && Runtime.version().feature() >= 18 && in.getClass() == FileInputStream.class
                && out.getClass() == FileOutputStream.class) {
            // JDK-8272297 (JDK 18): FileInputStream.transferTo into a FileOutputStream already goes zero-copy
            return fallback("already zero-copy (JDK 18+ FileInputStream.transferTo)", counters, original, helper, in, out);
        }
        InputStream file = in;
        long drained = 0;
        if (in.getClass() == BufferedInputStream.class) {
            String why;
            try {
                why = BufferedSource.unfit((BufferedInputStream) in);
            } catch (Throwable t) {
                Stats.error("dispatcher", t);
                why = "internal error: " + t.getClass().getSimpleName();
            }
            if (why != null) {
                return fallback("inside a BufferedInputStream: " + why, counters, original, helper, in, out);
            }
            file = BufferedSource.inner((BufferedInputStream) in);
            Plan plan = plan(file, out);
            if (plan.declined != null) {
                return fallback("inside a BufferedInputStream: " + plan.declined, counters, original, helper, in, out);
            }
            if (ZcCopy.observe) {
                return observed(plan, counters, original, helper, in, out);
            }
            // as BufferedInputStream.transferTo (JDK 20+) does: what it has buffered goes first
            drained = BufferedSource.drain((BufferedInputStream) in, out);
            counters.bytes(SiteCounters.Path.LOOP, drained);
            return finish(plan, drained, in, out, original, helper, counters);
        }
        Plan plan = plan(file, out);
        if (plan.declined != null) {
            return fallback(plan.declined, counters, original, helper, in, out);
        }
        if (ZcCopy.observe) {
            return observed(plan, counters, original, helper, in, out);
        }
        return finish(plan, 0, in, out, original, helper, counters);
    }

    private static long finish(Plan plan, long drained, InputStream in, OutputStream out, MethodHandle original,
                               Helper helper, SiteCounters counters) throws Throwable {
        long sent = ZcCopy.move(plan, new byte[8192], 8192, counters);
        SiteCounters.Original rest = ZcCopy.handedBack(plan, counters, true, null);
        long tail;
        try {
            tail = untotal(helper, original(original, in, out));
            counters.bytes(SiteCounters.Path.LOOP, tail);
        } finally {
            if (rest != null) {
                counters.end(rest);
            }
        }
        return helper.result(drained + sent + tail);
    }

    private static Plan plan(InputStream in, OutputStream out) {
        return Plan.safely(in, out, null);
    }

    /** Files.copy(Path, OutputStream): zc opens the file itself, on the default file system only. */
    private static long path(Path path, OutputStream out, MethodHandle original, Helper helper,
                             SiteCounters counters) throws Throwable {
        if (out == null || path.getFileSystem() != FileSystems.getDefault() || !Files.isRegularFile(path)) {
            return fallback("not a regular file of the default file system", counters, original, helper, path, out);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            JdkAccess.setUninterruptible(ch);
            Plan plan = Plan.ofChannel(ch, out, ZcCopy.minBytes);
            if (plan.declined != null) {
                ch.close();
                return fallback(plan.declined, counters, original, helper, path, out);
            }
            if (ZcCopy.observe) {
                ch.close();
                return observed(plan, counters, original, helper, path, out);
            }
            long sent = ZcCopy.move(plan, new byte[8192], 8192, counters);
            // Files.copy reads to the end: what was appended after the size was taken goes the ordinary way
            ByteBuffer buf = ByteBuffer.allocate(8192);
            for (int n; (n = ch.read(buf.clear(), plan.start + sent)) > 0; ) {
                out.write(buf.array(), 0, n);
                sent += n;
                counters.bytes(SiteCounters.Path.LOOP, n);
            }
            return helper.result(sent);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            Stats.error("dispatcher", t);
            throw t;
        }
    }

    /** An int helper's count back to bytes. */
    private static long untotal(Helper helper, long result) {
        return helper.returnsInt() ? result & 0xffffffffL : result;
    }

    private static long fallback(String reason, SiteCounters counters, MethodHandle original, Helper helper,
                                 Object source, OutputStream out) throws Throwable {
        counters.fallback(reason);
        return runOriginal(counters.original(reason, 0, null, true), counters, original, helper, source, out, null);
    }

    /** mode=observe: the original helper runs; its bytes, as far as the plan covers, are what a rewrite would move. */
    private static long observed(Plan plan, SiteCounters counters, MethodHandle original, Helper helper,
                                 Object source, OutputStream out) throws Throwable {
        return runOriginal(counters.original(null, plan.size - plan.start, ZcCopy.via(plan), true), counters, original,
                helper, source, out, plan.sink);
    }

    /** {@code observed}: the sink of an observed call, asked after the helper ran ({@link ZcCopy#observedDecline}). */
    private static long runOriginal(SiteCounters.Original call, SiteCounters counters, MethodHandle original,
                                    Helper helper, Object source, OutputStream out, Sink observed) throws Throwable {
        try {
            long result = original(original, source, out);
            // the helper's own copy loop may be a call site too: the bytes it counted are not counted twice
            counters.bytes(SiteCounters.Path.LOOP, Math.max(0, bytesOf(helper, result) - call.zeroCopyInside()));
            return result;
        } finally {
            if (observed != null) {
                ZcCopy.observedDecline(observed, counters, call);
            }
            counters.end(call);
        }
    }

    /** The bytes a helper's result stands for; IOUtils.copy's -1 (over 2 GiB) is not known. */
    private static long bytesOf(Helper helper, long result) {
        if (helper == Helper.COMMONS_COPY && result == -1) {
            return 0;
        }
        return untotal(helper, result);
    }

    /** The original helper, which the JDK's hooked transferTo ({@link ZcCallee}) must not count a second time. */
    private static long original(MethodHandle original, Object source, OutputStream out) throws Throwable {
        boolean[] inZc = ZcCallee.IN_ZC.get();
        boolean outer = inZc[0];
        inZc[0] = true;
        try {
            return ((Number) original.invoke(source, out)).longValue();
        } finally {
            inZc[0] = outer;
        }
    }
}
