package zc.corpus.gen;

import java.io.IOException;
import java.io.OutputStream;

/** An OutputStream that its test defines from bytes by a loader serving no resources (GeneratedSink). */
public class GenSink extends OutputStream {
    private final OutputStream target;

    public GenSink(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
    }
}
