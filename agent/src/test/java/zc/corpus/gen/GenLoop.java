package zc.corpus.gen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A copy loop whose sink's static type is {@link GenSink}, defined with it by a loader serving no resources. */
public final class GenLoop {
    private GenLoop() {
    }

    public static long copy(InputStream in, OutputStream target) throws IOException {
        GenSink out = new GenSink(target);
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }
}
