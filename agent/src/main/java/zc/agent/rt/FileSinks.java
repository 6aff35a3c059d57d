package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;

/** Files: an exact FileOutputStream, written through a side channel on its descriptor. */
final class FileSinks implements SinkFamily {

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        if (out.getClass() != FileOutputStream.class) {
            return null;
        }
        FileDescriptor fd = ((FileOutputStream) out).getFD();
        if (!fd.valid()) {
            return "sink is closed";
        }
        if (JdkAccess.append(fd)) {
            // JDK 17: sendfile into an O_APPEND file fails with EINVAL and JDK-8140241's fallback flag then
            // sends every later file-to-file transferTo of this JVM through mmap
            return "sink is an append-mode FileOutputStream";
        }
        return new ChannelSink(out, Channels.writing(fd), flush);
    }
}
