package zc.agent.containers.springsecurity;

import java.io.IOException;
import java.io.OutputStream;
import zc.agent.containers.Members;
import zc.agent.containers.Transfer;
import zc.agent.containers.WrapperSink;
import zc.agent.rt.Sink;

/**
 * A transfer into the stream inside Spring Security's SaveContextServletOutputStream. Until the wrapper's on-commit
 * callback has run ({@code onResponseCommitted}: HeaderWriterFilter writes its headers there), every chunk goes
 * through the wrapper itself (a 0 return: the dispatcher writes one chunk through {@link #raw}), so the callback
 * fires at the same byte, before the same write, as in the loop. After it (the wrapper then calls it never again),
 * the bytes go the inner sink's way and each transfer's bytes are counted by the wrapper's own
 * {@code checkContentLength}, which is all its {@code write(byte[], int, int)} would have done with them.
 */
final class OnCommittedSink extends WrapperSink {
    private static final Class<?>[] LONG = {long.class};
    private final Object wrapper;

    OnCommittedSink(OutputStream stream, Object wrapper, Sink inner) {
        super(stream, inner);
        this.wrapper = wrapper;
    }

    /** Runs {@code transfer} once the callback has run, counting its bytes; 0 (one chunk the loop's way) before. */
    @Override
    protected long around(Transfer transfer) throws IOException {
        try {
            if (!(Boolean) Members.call(wrapper, "isDisableOnResponseCommitted")) {
                return 0;
            }
            long n = transfer.run();
            if (n > 0) {
                Members.callExact(wrapper, "checkContentLength", LONG, n);
            }
            return n;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Spring Security's wrapper changed under zc", e);
        }
    }
}
