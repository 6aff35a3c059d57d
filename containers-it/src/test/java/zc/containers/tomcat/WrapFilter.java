package zc.containers.tomcat;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * The two kinds of response wrapper user filters put in front of a servlet. {@code wrap=plain}: an
 * HttpServletResponseWrapper that overrides no stream method (a header-adding filter), so the servlet still writes
 * to Tomcat's own CoyoteOutputStream. {@code wrap=own}: a metering filter whose wrapper returns its own
 * ServletOutputStream, counting every byte written before passing it on; it prints the count ({@code METERED}), and
 * zc must leave that stream alone.
 */
public final class WrapFilter implements Filter {

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String wrap = req.getParameter("wrap");
        HttpServletResponse http = (HttpServletResponse) resp;
        if ("plain".equals(wrap)) {
            http.setHeader("X-Wrapped", "plain");
            chain.doFilter(req, new HttpServletResponseWrapper(http));
        } else if ("own".equals(wrap)) {
            Metered metered = new Metered(http);
            chain.doFilter(req, metered);
            System.out.println("METERED " + metered.out.count);
        } else {
            chain.doFilter(req, resp);
        }
    }

    private static final class Metered extends HttpServletResponseWrapper {
        private MeteringStream out;

        Metered(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new MeteringStream(super.getOutputStream());
            }
            return out;
        }
    }

    private static final class MeteringStream extends ServletOutputStream {
        private final ServletOutputStream delegate;
        long count;

        MeteringStream(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            count++;
            delegate.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
            delegate.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }
}
