package zc.demo.strategy;

/**
 * Knobs of the lessons.
 *
 * @param bufferBytes the user buffer of the read/write loops (default 64 KiB)
 * @param chunkBytes  mmap-write maps the file in regions of this size; 0 maps it whole (in 2 GiB - 1 pieces, the
 *                    most one MappedByteBuffer can hold)
 * @param pipeBytes   splice's pipe size, set with fcntl(F_SETPIPE_SZ) (default 1 MiB)
 */
public record DemoOptions(int bufferBytes, long chunkBytes, int pipeBytes) {
    public static final int DEFAULT_BUFFER = 64 * 1024;
    public static final int DEFAULT_PIPE = 1024 * 1024;

    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_BUFFER, 0, DEFAULT_PIPE);
    }
}
