package zc.containers.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.CoyoteOutputStream;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat (10.1 or 11, as on the class path) serving files from a folder three ways: {@code /loop/NAME},
 * a servlet with the classic copy loop from a FileInputStream into {@code response.getOutputStream()} (what zc
 * rewrites); {@code /static/NAME}, Tomcat's DefaultServlet with its own sendfile (the yardstick); {@code
 * /mapped/NAME}, mapped windows of the file given to CoyoteOutputStream.write(ByteBuffer); on connectors:
 * plain (with the h2c upgrade), gzip (compression on for every type) and TLS (the keystore given), NIO or NIO2.
 * Query parameters of /loop: {@code cl=0} leaves Content-Length unset (chunked), {@code after=1} writes a line after
 * the file, {@code wrap=plain|own} puts a user filter's response wrapper in front ({@link WrapFilter}). Every request is logged by AccessLogValve with {@code %r %s %b} (bytes as Tomcat counted them).
 * Prints {@code PORTS plain gzip tls} when ready.
 */
public final class TomcatApp {
    private TomcatApp() {
    }

    /** Arguments: folder, nio|nio2, access-log folder, keystore (or -). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        String protocol = args[1].equals("nio2") ? "org.apache.coyote.http11.Http11Nio2Protocol"
                : "org.apache.coyote.http11.Http11NioProtocol";
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("zc-tomcat").toString());
        Connector plain = connector(protocol);
        plain.addUpgradeProtocol(new Http2Protocol());
        tomcat.setConnector(plain);
        Connector gzip = connector(protocol);
        gzip.setProperty("compression", "on");
        gzip.setProperty("compressibleMimeType", "application/octet-stream,text/plain");
        tomcat.getService().addConnector(gzip);
        Connector tls = null;
        if (!args[3].equals("-")) {
            tls = connector(protocol);
            tls.setSecure(true);
            tls.setScheme("https");
            tls.setProperty("SSLEnabled", "true");
            SSLHostConfig ssl = new SSLHostConfig();
            SSLHostConfigCertificate cert = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.RSA);
            cert.setCertificateKeystoreFile(args[3]);
            cert.setCertificateKeystorePassword("changeit");
            cert.setCertificateKeyAlias("zc");
            ssl.addCertificate(cert);
            tls.addSslHostConfig(ssl);
            tomcat.getService().addConnector(tls);
        }
        Context statics = tomcat.addContext("/static", root.toString());
        Wrapper files = Tomcat.addServlet(statics, "default", new DefaultServlet());
        files.addInitParameter("listings", "false");
        statics.addServletMappingDecoded("/", "default");
        Context context = tomcat.addContext("", root.toString());
        Tomcat.addServlet(context, "loop", new LoopServlet(root));
        context.addServletMappingDecoded("/loop/*", "loop");
        FilterDef wrap = new FilterDef();
        wrap.setFilterName("wrap");
        wrap.setFilter(new WrapFilter());
        context.addFilterDef(wrap);
        FilterMap wrapped = new FilterMap();
        wrapped.setFilterName("wrap");
        wrapped.addURLPattern("/loop/*");
        context.addFilterMap(wrapped);
        Tomcat.addServlet(context, "mapped", new MappedServlet(root));
        context.addServletMappingDecoded("/mapped/*", "mapped");
        AccessLogValve log = new AccessLogValve();
        log.setDirectory(args[2]);
        log.setPrefix("access");
        log.setSuffix(".log");
        log.setPattern("%r %s %b");
        log.setBuffered(false);
        log.setRotatable(false);
        tomcat.getHost().getPipeline().addValve(log);
        tomcat.start();
        System.out.println("PORTS " + plain.getLocalPort() + " " + gzip.getLocalPort() + " "
                + (tls == null ? -1 : tls.getLocalPort()));
        tomcat.getServer().await();
    }

    private static Connector connector(String protocol) {
        Connector c = new Connector(protocol);
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        c.setProperty("maxKeepAliveRequests", "-1"); // the bench's clients keep one connection for hundreds of requests
        return c;
    }

    /**
     * The file mapped 8 MiB at a time and each window given to CoyoteOutputStream.write(ByteBuffer): Tomcat's own
     * buffer path, measured by the bench for comparison (Tomcat copies the window with Java code into its socket
     * buffer; a file truncated meanwhile would fault inside Tomcat).
     */
    static final class MappedServlet extends HttpServlet {
        private final Path root;

        MappedServlet(Path root) {
            this.root = root;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Path file = root.resolve(req.getPathInfo().substring(1));
            resp.setContentType("application/octet-stream");
            try (FileChannel ch = FileChannel.open(file)) {
                long size = ch.size();
                resp.setContentLengthLong(size);
                CoyoteOutputStream out = (CoyoteOutputStream) resp.getOutputStream();
                for (long pos = 0; pos < size; pos += 8 << 20) {
                    out.write(ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(8 << 20, size - pos)));
                }
            }
        }
    }

    /** The download servlet every tutorial shows: a FileInputStream copied into the response with a loop. */
    static final class LoopServlet extends HttpServlet {
        private final Path root;

        LoopServlet(Path root) {
            this.root = root;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            File file = root.resolve(req.getPathInfo().substring(1)).toFile();
            resp.setContentType("application/octet-stream");
            if (!"0".equals(req.getParameter("cl"))) {
                resp.setContentLengthLong(file.length() + ("1".equals(req.getParameter("after")) ? 6 : 0));
            }
            OutputStream out = resp.getOutputStream();
            try {
                copy(file, out);
                if ("1".equals(req.getParameter("after"))) {
                    out.write("after\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                // what the container threw into the application, for the tests to compare with and without zc
                System.out.println("THROWN " + req.getRequestURI() + " " + e.getClass().getName());
                throw e;
            }
        }

        private static void copy(File file, OutputStream out) throws IOException {
            try (InputStream in = new FileInputStream(file)) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) != -1) {
                    out.write(buf, 0, n);
                }
            }
        }
    }
}
