package zc.containers.jetty;

import jakarta.servlet.Servlet;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import zc.containers.FileServlet;

/**
 * Eclipse Jetty 12 embedded, ee10 servlets: {@link FileServlet} for every path, behind a GzipHandler that compresses
 * {@code /gz/*}; Jetty's own static files (ResourceHandler, files mapped) at {@code /own/*}; a core
 * handler ({@link CoreFiles}, no servlets) at {@code /core/*}; one plain connector (HTTP/1.1 and h2c), one TLS connector when a keystore is given, an access
 * log ({@code %m %U%q %s %O}: method, path, status, bytes sent). Arguments: port (0: any), root folder, access log
 * file, keystore (PKCS12, password {@code secret}) or {@code -}. Prints {@code PORT n} (and {@code TLS n}) when ready.
 */
public final class Jetty12Main {
    private Jetty12Main() {
    }

    public static void main(String[] args) throws Exception {
        run(args, new FileServlet(Path.of(args[1]).toAbsolutePath()));
    }

    /** Serves {@code servlet} for every path, as described above (the Jersey launcher gives its own servlet). */
    public static void run(String[] args, Servlet servlet) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(http),
                new HTTP2CServerConnectionFactory(http));
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
            tls = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            tls.setHost("127.0.0.1");
            server.addConnector(tls);
        }
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        GzipHandler gzip = new GzipHandler(context);
        gzip.addIncludedPaths("/gz/*");
        // Jetty's own static content, its files mapped (the yardstick of the benchmarks): /own/<file>
        ResourceHandler own = new ResourceHandler();
        own.setBaseResource(ResourceFactory.of(own).newResource(Path.of(args[1]).toAbsolutePath()));
        own.setUseFileMapping(true);
        own.setDirAllowed(false);
        ContextHandler ownContext = new ContextHandler(own, "/own");
        // a core handler writing through Content.Sink.asOutputStream(response): /core/<file>
        ContextHandler core = new ContextHandler(new CoreFiles(Path.of(args[1]).toAbsolutePath()), "/core");
        server.setHandler(new Handler.Sequence(ownContext, core, gzip));
        server.setRequestLog(new CustomRequestLog(new RequestLogWriter(args[2]), "%m %U%q %s %O"));
        server.start();
        System.out.println("PORT " + plain.getLocalPort());
        if (tls != null) {
            System.out.println("TLS " + tls.getLocalPort());
        }
        server.join();
    }
}
