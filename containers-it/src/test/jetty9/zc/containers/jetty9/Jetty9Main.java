package zc.containers.jetty9;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Eclipse Jetty 9.4 embedded (compiled by the test against the jars in target/jetty9: Jetty 12 is on the module's
 * class path): a handler that serves files as zc.containers.FileServlet does (the same parameters: cl, copy, more;
 * GET and HEAD; COPY FAILED printed), behind a GzipHandler that compresses {@code /gz/*}; a plain connector, a TLS
 * one when a keystore is given, an access log ({@code %m %U%q %s %B}). Arguments: port, root folder, access log
 * file, keystore or {@code -}. Prints {@code PORT n} (and {@code TLS n}).
 */
public final class Jetty9Main {
    private Jetty9Main() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]).toAbsolutePath();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(http));
        plain.setHost("127.0.0.1");
        plain.setPort(Integer.parseInt(args[0]));
        server.addConnector(plain);
        ServerConnector tls = null;
        if (args.length > 3 && !args[3].equals("-")) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(args[3]);
            ssl.setKeyStorePassword("secret");
            ssl.setKeyStoreType("PKCS12");
            HttpConfiguration https = new HttpConfiguration(http);
            https.addCustomizer(new SecureRequestCustomizer(false));
            tls = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
            tls.setHost("127.0.0.1");
            server.addConnector(tls);
        }
        GzipHandler gzip = new GzipHandler();
        gzip.addIncludedPaths("/gz/*");
        gzip.setHandler(new Files(root));
        server.setHandler(gzip);
        server.setRequestLog(new CustomRequestLog(new RequestLogWriter(args[2]), "%m %U%q %s %O"));
        server.start();
        System.out.println("PORT " + plain.getLocalPort());
        if (tls != null) {
            System.out.println("TLS " + tls.getLocalPort());
        }
        server.join();
    }

    static final class Files extends AbstractHandler {
        private final Path root;

        Files(Path root) {
            this.root = root;
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest req, HttpServletResponse resp)
                throws IOException {
            base.setHandled(true);
            String uri = req.getRequestURI();
            File file = root.resolve(uri.substring(uri.lastIndexOf('/') + 1)).toFile();
            if (!file.isFile()) {
                resp.sendError(404);
                return;
            }
            resp.setContentType("application/octet-stream");
            byte[] more = "1".equals(req.getParameter("more"))
                    ? "written after the file\n".getBytes(StandardCharsets.US_ASCII) : new byte[0];
            if (!"0".equals(req.getParameter("cl"))) {
                resp.setContentLengthLong(file.length() + more.length);
            }
            OutputStream out = resp.getOutputStream();
            try (InputStream in = new FileInputStream(file)) {
                if ("transferTo".equals(req.getParameter("copy"))) {
                    in.transferTo(out);
                } else {
                    copy(in, out);
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("COPY FAILED " + e.getClass().getName());
                throw e;
            }
            out.write(more);
        }

        private static void copy(InputStream in, OutputStream out) throws IOException {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
    }
}
