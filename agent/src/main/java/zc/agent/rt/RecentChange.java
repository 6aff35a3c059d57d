package zc.agent.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.attribute.FileTime;

/**
 * The {@code recent} option: a source whose status changed within the window keeps the original loop. sendfile
 * leaves page-cache references in the socket's or pipe's queue until the peer has the bytes, so a file rewritten
 * in place or truncated while they wait reaches the peer as it is then, not as it was when the copy returned (the
 * loop copies at write time). A file that changed a moment ago is the likeliest to change again. The change time
 * (ctime) is used, not the modification time, which {@code touch -d} can set back.
 */
final class RecentChange {
    /** 0: the check is off (the default, docs/agent.md says why). */
    static volatile long windowMillis;

    private RecentChange() {
    }

    /** The class holding the handles, for DispatcherInit. */
    static Class<?> ctimeClass() {
        return Ctime.class;
    }

    /** Why the source on descriptor {@code fd} keeps the loop, or null when it has not changed recently. */
    static String check(int fd) throws Throwable {
        long window = windowMillis;
        if (window <= 0 || Ctime.FOUND.handles() == null) {
            return null;
        }
        MethodHandle[] h = Ctime.FOUND.handles();
        FileTime changed = (FileTime) h[1].invoke(h[0].invoke(fd));
        long age = System.currentTimeMillis() - changed.toMillis();
        return age < window ? "source changed " + Math.max(age, 0) + " ms ago (recent=" + window + "ms)" : null;
    }

    /** UnixFileAttributes.get(int fd) (one fstat) and its ctime(), the same on JDK 17 and 25. */
    private static JdkAccess.Found<MethodHandle[]> handles() {
        try {
            Class<?> attrs = Class.forName("sun.nio.fs.UnixFileAttributes");
            var fs = JdkAccess.lookup(attrs);
            return JdkAccess.Found.of(new MethodHandle[] {
                fs.findStatic(attrs, "get", MethodType.methodType(attrs, int.class)),
                fs.findVirtual(attrs, "ctime", MethodType.methodType(FileTime.class))});
        } catch (Throwable t) {
            return JdkAccess.Found.missing("file change times", t);
        }
    }

    /**
     * Looked up on the first check with the option on: premain sets {@link #windowMillis}, and the handles (with
     * JdkAccess behind them) would otherwise be built at start-up for an option that is off.
     */
    private static final class Ctime {
        static final JdkAccess.Found<MethodHandle[]> FOUND = handles();
    }
}
