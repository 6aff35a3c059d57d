package zc.demo.strategy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls the JDK has no API for: splice(2) and F_SETPIPE_SZ. */
public interface LibC extends Library {
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int AF_INET = 2;
    int SOCK_STREAM = 1;
    int SHUT_WR = 1;
    int F_SETPIPE_SZ = 1031;
    int SPLICE_F_MOVE = 1;
    int SPLICE_F_MORE = 4;
    int EINTR = 4;
    int EAGAIN = 11;

    int open(String path, int flags) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int connect(int fd, byte[] address, int length) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    int close(int fd);

    /** Loads libc; an error here means native calls are unavailable on this platform. */
    static LibC load() {
        return Native.load("c", LibC.class);
    }
}
