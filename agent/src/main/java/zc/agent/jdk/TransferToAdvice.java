package zc.agent.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.bytebuddy.asm.Advice;
import zc.agent.rt.ZcCallee;

/**
 * Inlined at the start and end of the JDK's own {@code sun.nio.ch.ChannelInputStream.transferTo(OutputStream)}
 * ({@link JdkCallees}). On entry zc moves what it can zero-copy and leaves the channel after those bytes; the JDK's
 * method then runs as written from there (it finds the end of the file, or copies what was appended) and its
 * result gets zc's count added. Not suppressed: an I/O error of zc's transfer is the method's own exception, as the
 * JDK's write would have thrown it; zc's internal failures never leave {@link ZcCallee}.
 */
final class TransferToAdvice {
    private TransferToAdvice() {
    }

    @Advice.OnMethodEnter
    static long enter(@Advice.This InputStream self, @Advice.Argument(0) OutputStream out) throws IOException {
        return ZcCallee.transferTo(self, out);
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Enter long sent, @Advice.Return(readOnly = false) long result) {
        result += sent;
    }
}
