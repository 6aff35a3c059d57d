package zc.demo.broker;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only log in one pre-sized segment file, written through a shared memory mapping (as RocketMQ's
 * CommitLog and Kafka's index files are): an append is a memory copy into the page cache, with no write(2) at all.
 * Records are {@code [int length][payload]}, big-endian; a zero length marks the end (the file is sparse beyond it).
 */
final class MessageLog implements AutoCloseable {
    private final FileChannel channel;
    private final MappedByteBuffer mapped;
    private final long capacity;
    private volatile long end;

    private MessageLog(FileChannel channel, MappedByteBuffer mapped, long capacity, long end) {
        this.channel = channel;
        this.mapped = mapped;
        this.capacity = capacity;
        this.end = end;
    }

    /** Opens (or creates) the segment; an existing one is scanned to find where its records end. */
    static MessageLog open(Path file, long capacity) throws IOException {
        if (capacity < 8 || capacity > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segment capacity must be between 8 bytes and 2 GiB - 1");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (channel.size() < capacity) {
            channel.truncate(capacity);
            channel.write(java.nio.ByteBuffer.allocate(1), capacity - 1);
        }
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
        mapped.order(ByteOrder.BIG_ENDIAN);
        long end = 0;
        while (end + 4 <= capacity) {
            int length = mapped.getInt((int) end);
            if (length <= 0 || end + 4 + length > capacity) {
                break;
            }
            end += 4 + length;
        }
        return new MessageLog(channel, mapped, capacity, end);
    }

    /** Appends one record and returns its offset. */
    synchronized long append(byte[] payload) throws IOException {
        if (payload.length == 0) {
            throw new IOException("empty messages are not allowed");
        }
        long offset = end;
        if (offset + 4 + payload.length > capacity) {
            throw new IOException("log segment full (" + capacity + " bytes)");
        }
        mapped.putInt((int) offset, payload.length);
        mapped.put((int) offset + 4, payload);
        end = offset + 4 + payload.length;
        return offset;
    }

    long end() {
        return end;
    }

    FileChannel channel() {
        return channel;
    }

    /** A read-only view of bytes [offset, offset + length) of the mapping. */
    java.nio.ByteBuffer slice(long offset, int length) {
        return mapped.slice((int) offset, length).asReadOnlyBuffer();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
