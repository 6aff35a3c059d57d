package zc.agent.rt;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One window of the source mapped for a mapped write (strategy=mmap), unmapped as soon as it is written. A
 * MappedByteBuffer left to the garbage collector keeps its mapping until a collection happens to find it: a
 * deleted file's blocks stay allocated, and tens of thousands of windows between two collections exhaust
 * vm.max_map_count ("Map failed"). {@code -XX:+DisableExplicitGC} takes away System.gc() as a remedy, so the
 * window is unmapped by running the buffer's own cleaner ({@code sun.nio.ch.DirectBuffer.cleaner().clean()},
 * what the JDK's FileChannelImpl does for its own mapped transfers), with jdk.internal.ref opened to zc.
 * Nothing keeps the buffer after {@link #write}: the sink wrote from its address and returned.
 */
final class MappedWindow {
    private static final JdkAccess.Found<MethodHandle> UNMAP = unmapHandle();

    private MappedWindow() {
    }

    /** Null when windows can be unmapped explicitly on this JDK; otherwise why not. */
    static String unavailable() {
        return UNMAP.unavailable();
    }

    /**
     * Maps {@code len} bytes of {@code source} at {@code position} and writes them to {@code sink}, adding each
     * write's bytes to {@code progress[0]} as it goes, so a failure after some bytes still counts them. Stops
     * early when a write makes no progress. The mapping is gone when this returns or throws.
     *
     * @throws MapFailed when the window cannot be mapped (nothing of it was written)
     */
    static void write(FileChannel source, long position, long len, Sink sink, long[] progress) throws IOException {
        MappedByteBuffer pages;
        try {
            pages = source.map(FileChannel.MapMode.READ_ONLY, position, len);
        } catch (IOException e) {
            throw new MapFailed(e);
        }
        try {
            while (pages.hasRemaining()) {
                int before = pages.position();
                int k;
                try {
                    k = sink.write(pages);
                } catch (IOException | RuntimeException | Error e) {
                    // A write that fails half-way (the peer reset) has moved the buffer past what the socket took:
                    // Jetty's write(ByteBuffer) takes a whole window in one call, so that is all it delivers of it.
                    // (A buffer a sink cleared, position 0, counts nothing.)
                    int took = pages.position() - before;
                    if (took > 0) {
                        progress[0] += took;
                    }
                    throw e;
                }
                if (k <= 0) {
                    return;
                }
                progress[0] += k;
            }
        } finally {
            unmap(pages);
        }
    }

    /**
     * Reads {@code len} bytes of {@code source} at {@code position} into {@code dst} through a mapping, which takes
     * no direct-buffer memory (a heap read through a FileChannel takes a temporary direct buffer of its length);
     * unmapped at once where this JDK allows, else left to the collector.
     */
    static void read(FileChannel source, long position, byte[] dst, int off, int len) throws IOException {
        MappedByteBuffer pages = source.map(FileChannel.MapMode.READ_ONLY, position, len);
        try {
            pages.get(dst, off, Math.min(len, pages.remaining()));
        } finally {
            if (unavailable() == null) {
                unmap(pages);
            }
        }
    }

    private static void unmap(ByteBuffer pages) throws IOException {
        try {
            UNMAP.handles().invokeExact(pages);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    /** {@code ((DirectBuffer) b).cleaner().clean()} as one handle taking a ByteBuffer. */
    private static JdkAccess.Found<MethodHandle> unmapHandle() {
        try {
            Class<?> direct = Class.forName("sun.nio.ch.DirectBuffer");
            Class<?> cleaner = Class.forName("jdk.internal.ref.Cleaner");
            MethodHandle get = JdkAccess.lookup(direct).findVirtual(direct, "cleaner", MethodType.methodType(cleaner));
            MethodHandle clean = JdkAccess.lookup(cleaner).findVirtual(cleaner, "clean",
                    MethodType.methodType(void.class));
            return JdkAccess.Found.of(MethodHandles.filterReturnValue(get, clean)
                    .asType(MethodType.methodType(void.class, ByteBuffer.class)));
        } catch (Throwable t) {
            return JdkAccess.Found.missing("explicit unmap", t);
        }
    }

    /** The window could not be mapped (sysfs and procfs: ENODEV or EACCES; FUSE; vm.max_map_count reached). */
    static final class MapFailed extends IOException {
        MapFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
