package zc.agent.rt;

import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * FileInputStream, and its subclasses that read as one: a subclass is taken only when no class between it and
 * FileInputStream declares a method that reads, skips, positions or marks (it may add fields, constructors, or its
 * own {@code close}, as Apache FtpServer's {@code NativeFtpFile$3} does). The bytes are read through a side channel
 * on the stream's descriptor, whose offset is the stream's position.
 */
final class FileInputStreamSources implements SourceFamily {
    /** The methods a subclass must not declare: each changes what the loop's reads would see. */
    private static final Set<String> READING = Set.of("read", "readAllBytes", "readNBytes", "skip", "skipNBytes",
            "available", "transferTo", "getChannel", "getFD", "mark", "reset", "markSupported");
    /** Per class: null when it reads as a FileInputStream, else why not. Computed once per class. */
    private static final ClassValue<String> OVERRIDES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            for (Class<?> c = type; c != FileInputStream.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (READING.contains(m.getName()) && !m.isSynthetic() && !m.isBridge()) {
                        return "source is " + type.getName() + ", a FileInputStream subclass that overrides "
                                + c.getSimpleName() + "." + m.getName();
                    }
                }
            }
            return null;
        }
    };

    @Override
    public Object source(InputStream in, long minBytes) throws Throwable {
        if (!(in instanceof FileInputStream fis)) {
            return null;
        }
        if (in.getClass() != FileInputStream.class) {
            String overrides = OVERRIDES.get(in.getClass());
            if (overrides != null) {
                return overrides;
            }
        }
        java.io.FileDescriptor fd = fis.getFD();
        return Sources.regularFile(fd, minBytes, new Sources.Call() {
            @Override
            public java.nio.channels.FileChannel get() throws Throwable {
                return Channels.reading(fd);
            }
        });
    }
}
