package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.lang.ref.WeakReference;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Side channels on the application's own file descriptors: {@code new FileOutputStream(fd).getChannel()} is a
 * FileChannel on a socket's descriptor, the public-API way to sendfile into a plain Socket. Traps this class keeps
 * away: such a channel is never closed (that would close the application's descriptor), never interruptible
 * (an interrupt would close it), and made once per descriptor, because each wrapper stream is added to the
 * descriptor's list of parents for as long as it lives. The cache holds descriptors weakly and channels through
 * weak references, so it keeps nothing alive.
 */
final class Channels {
    private static final Map<FileDescriptor, WeakReference<FileChannel>> READ = new WeakHashMap<>();
    private static final Map<FileDescriptor, WeakReference<FileChannel>> WRITE = new WeakHashMap<>();
    private static final ReentrantLock LOCK = new ReentrantLock();

    private Channels() {
    }

    static FileChannel reading(FileDescriptor fd) throws Throwable {
        return channel(READ, fd, false);
    }

    static FileChannel writing(FileDescriptor fd) throws Throwable {
        return channel(WRITE, fd, true);
    }

    private static FileChannel channel(Map<FileDescriptor, WeakReference<FileChannel>> cache, FileDescriptor fd,
                                       boolean write) throws Throwable {
        // a ReentrantLock, not a monitor: copies run on virtual threads, which a contended monitor pins on JDK 21
        LOCK.lock();
        try {
            WeakReference<FileChannel> ref = cache.get(fd);
            FileChannel ch = ref == null ? null : ref.get();
            if (ch == null) {
                ch = write ? new FileOutputStream(fd).getChannel() : new FileInputStream(fd).getChannel();
                JdkAccess.setUninterruptible(ch);
                cache.put(fd, new WeakReference<>(ch));
            }
            return ch;
        } finally {
            LOCK.unlock();
        }
    }
}
