package zc.demo.httpserver;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How {@link StaticFileServer} sends a response body. {@code read-write} is the loop an unmodified application has,
 * the one zc-agent rewrites; the others are what a developer would write by hand to go zero-copy, the yardsticks of
 * {@code zc bench matrix}.
 */
public enum Body {
    /** FileInputStream into the plain Socket's OutputStream through a heap buffer. */
    READ_WRITE("read-write"),
    /** FileChannel.transferTo into the SocketChannel: sendfile(2). */
    TRANSFER_TO("transfer-to"),
    /** The file mapped read-only, the mapping written to the SocketChannel. */
    MMAP_WRITE("mmap-write"),
    /** splice(2) file -> pipe -> socket through libc (JNA). */
    SPLICE("splice");

    private final String label;

    Body(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Body of(String label) {
        for (Body b : values()) {
            if (b.label.equals(label)) {
                return b;
            }
        }
        throw new IllegalArgumentException("--body must be one of "
                + Arrays.stream(values()).map(Body::label).collect(Collectors.joining(", ")) + ", not " + label);
    }
}
