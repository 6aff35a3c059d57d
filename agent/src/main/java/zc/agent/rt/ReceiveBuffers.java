package zc.agent.rt;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct buffers receives read into: allocated on first use, reused, and bounded, because direct memory
 * counts against the application's -XX:MaxDirectMemorySize. At most {@link #MAX} buffers of {@link #SIZE} bytes
 * ever exist; a receive that finds none free keeps the JDK's copy, with the reason counted.
 */
final class ReceiveBuffers {
    static final int SIZE = 1 << 20;
    static final int MAX = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger ALLOCATED = new AtomicInteger();
    /** Set when an allocation failed: the application is short of direct memory, zc takes no more. */
    private static volatile boolean exhausted;

    private ReceiveBuffers() {
    }

    /** A cleared buffer, or why there is none. */
    static Object take() {
        ByteBuffer b = FREE.poll();
        if (b != null) {
            return b;
        }
        if (exhausted) {
            return "no direct memory left for a receive buffer";
        }
        if (ALLOCATED.incrementAndGet() > MAX) {
            ALLOCATED.decrementAndGet();
            return "all " + MAX + " receive buffers in use";
        }
        try {
            return ByteBuffer.allocateDirect(SIZE);
        } catch (OutOfMemoryError e) {
            exhausted = true;
            ALLOCATED.decrementAndGet();
            return "no direct memory left for a receive buffer";
        }
    }

    static void give(ByteBuffer b) {
        FREE.offer(b.clear());
    }
}
