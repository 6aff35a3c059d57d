package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;

/** The flush of the BufferedOutputStream a sink was found in, or nothing. */
record BufferedFlush(OutputStream buffered) {
    static final BufferedFlush NONE = new BufferedFlush(null);

    void run() throws IOException {
        if (buffered != null) {
            buffered.flush();
        }
    }
}
