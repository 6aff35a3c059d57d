package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * The JDK's stream on a channel ({@code sun.nio.ch.ChannelInputStream}: what {@code Files.newInputStream} and
 * {@code Channels.newInputStream} return) over the JDK's own FileChannel on a regular file. Its reads are the
 * channel's reads: they start at the channel's position and move it, so zc sends from that position and leaves the
 * channel where the loop's reads would. JDK 17 keeps the channel in a protected field {@code ch}, JDK 25 in a
 * private one of the same name; the class is public in 17 and package-private (with its own transferTo) in 25:
 * only the field is used, found by name on the real object's class.
 */
final class ChannelInputStreamSources implements SourceFamily {
    static final String CLASS = "sun.nio.ch.ChannelInputStream";

    @Override
    public Object source(InputStream in, long minBytes) throws Throwable {
        if (!in.getClass().getName().equals(CLASS)) {
            return null;
        }
        Object ch = JdkAccess.field(in, "ch");
        if (ch == null || !ch.getClass().getName().equals("sun.nio.ch.FileChannelImpl")) {
            return "source is a channel stream on " + Plan.name(ch) + ", not on a file";
        }
        FileChannel channel = (FileChannel) ch;
        if (!channel.isOpen()) {
            return "source is closed";
        }
        if (!JdkAccess.flag(channel, "readable")) {
            return "source channel is not open for reading";
        }
        if (JdkAccess.flag(channel, "direct")) {
            return "source channel uses direct I/O (O_DIRECT)";
        }
        if (!JdkAccess.flag(channel, "uninterruptible") && Thread.currentThread().isInterrupted()) {
            return "interrupted thread: the source channel would be closed by the interrupt";
        }
        return Sources.regularFile((FileDescriptor) JdkAccess.field(channel, "fd"), minBytes, new Sources.Call() {
            @Override
            public FileChannel get() {
                return channel;
            }
        });
    }
}
