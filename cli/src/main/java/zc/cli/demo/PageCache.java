package zc.cli.demo;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * Puts the test file into the page cache in the same state on every run, whatever happened to it before: written
 * back, evicted, then read again in 64 KiB pieces without readahead. That matters for mmap: since Linux 6.x
 * readahead (and large buffered writes on ext4/XFS) fill the page cache with large folios, and one page fault then
 * maps a whole folio; measured on Linux 6.18 for a 64 MiB file, 1,041 minor faults with 4 KiB folios, 96 to 186
 * with large ones. Reading without readahead gives 4 KiB folios: the classic behaviour (one fault per 64 KiB
 * fault-around block) that the zero-copy table describes, on every machine and every run.
 */
final class PageCache {
    private static final int POSIX_FADV_RANDOM = 1;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final int O_RDONLY = 0;
    private static final int READ_SIZE = 64 * 1024;

    private PageCache() {
    }

    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int fdatasync(int fd) throws LastErrorException;

        int posix_fadvise(int fd, long offset, long len, int advice);

        long read(int fd, Pointer buf, long count) throws LastErrorException;

        int close(int fd);
    }

    /** Evicts then re-reads {@code file}; returns false (file left as it was) where native calls fail. */
    static boolean reload(Path file, long size, Progress progress) {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            return false;
        }
        int fd = libc.open(file.toString(), O_RDONLY);
        try (Memory buf = new Memory(READ_SIZE)) {
            libc.fdatasync(fd); // dirty pages cannot be evicted
            if (libc.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0
                    || libc.posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM) != 0) {
                return false;
            }
            long done = 0;
            for (long n; (n = libc.read(fd, buf, READ_SIZE)) > 0; ) {
                done += n;
                progress.update("loading the test file into the page cache", done, size);
            }
            progress.done();
            return true;
        } catch (LastErrorException e) {
            return false;
        } finally {
            libc.close(fd);
        }
    }
}
