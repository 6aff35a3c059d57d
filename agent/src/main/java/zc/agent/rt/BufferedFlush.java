package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;

/** The flush of the BufferedOutputStream (or other buffering wrapper) a sink was found in, or nothing. */
public record BufferedFlush(OutputStream buffered) {
    public static final BufferedFlush NONE = new BufferedFlush(null);

    public void run() throws IOException {
        if (buffered != null) {
            buffered.flush();
        }
    }
}
