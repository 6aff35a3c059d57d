package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where a rewritten copy's bytes go, resolved from the real OutputStream object by a {@link SinkFamily}. The
 * dispatcher ({@code ZcCopy.move}) calls {@link #prepare} once, then either {@link #transferFrom} (sendfile, or a
 * container's own file path) or {@link #write} with mapped windows of the file, until the planned bytes are gone.
 */
public interface Sink {

    /** Called once before the first transfer: flushes what wrappers hold so bytes keep their order. */
    void prepare() throws IOException;

    /**
     * Moves up to {@code count} bytes of {@code source} from {@code position} (the source's own position is not
     * used or moved) and returns how many went; may return 0 when a non-blocking socket is full or the file
     * ended: the dispatcher then writes one chunk through {@link #raw} and goes on. A negative value means the sink
     * found, on the live objects, that the rest must go the original way ({@link #declined} says why): the
     * dispatcher stops there and the application's own code carries on from that byte.
     */
    long transferFrom(FileChannel source, long position, long count) throws IOException;

    /** Writes (part of) a mapped window of the file (strategy=mmap); may return 0 like transferFrom. */
    int write(ByteBuffer mapped) throws IOException;

    /** The stream to write to the ordinary way (blocks, times out and fails the way the application's does). */
    OutputStream raw();

    /**
     * Whether this sink's bytes go by {@link #write} with mapped windows ({@code true}) or by {@link #transferFrom};
     * {@code strategyMmap} is the agent's choice, which a sink with only one way overrides.
     */
    default boolean mapped(boolean strategyMmap) {
        return strategyMmap;
    }

    /** How many bytes of the file one mapped window holds, {@code standard} unless the sink gains by larger ones. */
    default long mappedWindow(long standard) {
        return standard;
    }

    /**
     * The path's name in the statistics, the report and the {@code zc.Copy} event: {@code sendfile} or
     * {@code mmap} for files and sockets, a container's path otherwise (e.g. {@code tomcat-sendfile}).
     */
    default String via(boolean mapped) {
        return mapped ? "mmap" : "sendfile";
    }

    /** Why the last {@link #transferFrom} returned a negative value (a true reason, shown to users). */
    default String declined() {
        return null;
    }

    /**
     * mode=observe, once the application's own code has written the call's bytes: why the checks
     * {@link #transferFrom} makes on the live objects would have declined this call, or null. A container decides
     * some things only when it commits the response (Tomcat's output filters: chunked, HEAD), after the sink was
     * chosen; a survey must not count those calls as ones a rewrite would move. Sinks whose checks all run when
     * they are chosen have nothing to add.
     */
    default String observed() throws Throwable {
        return null;
    }
}
