package zc.corpus;

import com.google.common.io.ByteStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.IOUtils;
import org.springframework.util.FileCopyUtils;
import org.springframework.util.StreamUtils;

/** Copy helpers as applications call them, one method each, for the differential corpus. */
public final class Helpers {
    /** The file of the running scenario, for Files.copy(Path, OutputStream). */
    static Path path;

    private Helpers() {
    }

    public static long transferTo(InputStream in, OutputStream out) throws IOException {
        return in.transferTo(out);
    }

    public static long filesCopy(InputStream unused, OutputStream out) throws IOException {
        return Files.copy(path, out);
    }

    public static long ioUtilsCopy(InputStream in, OutputStream out) throws IOException {
        return IOUtils.copy(in, out);
    }

    public static long ioUtilsCopyLarge(InputStream in, OutputStream out) throws IOException {
        return IOUtils.copyLarge(in, out);
    }

    public static long guavaCopy(InputStream in, OutputStream out) throws IOException {
        return ByteStreams.copy(in, out);
    }

    public static long springCopy(InputStream in, OutputStream out) throws IOException {
        return StreamUtils.copy(in, out);
    }

    /** Closes both streams, as FileCopyUtils does. */
    public static long springFileCopy(InputStream in, OutputStream out) throws IOException {
        return FileCopyUtils.copy(in, out);
    }
}
