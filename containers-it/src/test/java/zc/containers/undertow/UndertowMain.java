package zc.containers.undertow;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.predicate.Predicates;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.accesslog.AccessLogHandler;
import io.undertow.server.handlers.encoding.ContentEncodingRepository;
import io.undertow.server.handlers.encoding.EncodingHandler;
import io.undertow.server.handlers.encoding.GzipEncodingProvider;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.InstanceHandle;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import zc.containers.FileServlet;

/**
 * Undertow 2.3 embedded with its servlet container: {@link FileServlet} for every path, responses to {@code /gz/*}
 * gzip-encoded (EncodingHandler), Undertow's own file serving at {@code /own/*} (ResourceHandler), an access log ({@code %m %U%q %s %b}), HTTP/2 enabled (h2c by upgrade on the
 * plain listener), and an HTTPS listener when a keystore is given. Arguments: port (0: any), root folder, access log
 * file, keystore (PKCS12, password {@code secret}) or {@code -}. Prints {@code PORT n} (and {@code TLS n}).
 */
public final class UndertowMain {
    private UndertowMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]).toAbsolutePath();
        DeploymentManager deployment = Servlets.defaultContainer().addDeployment(Servlets.deployment()
                .setClassLoader(UndertowMain.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("zc")
                .addServlet(Servlets.servlet("files", FileServlet.class, () -> new InstanceHandle<>() {
                    final FileServlet servlet = new FileServlet(root);

                    @Override
                    public FileServlet getInstance() {
                        return servlet;
                    }

                    @Override
                    public void release() {
                    }
                }).addMapping("/*")));
        deployment.deploy();
        HttpHandler servlets = deployment.start();
        HttpHandler gzip = new EncodingHandler(servlets, new ContentEncodingRepository()
                .addEncodingHandler("gzip", new GzipEncodingProvider(), 50, Predicates.prefix("/gz/")));
        PrintStream log = new PrintStream(new FileOutputStream(args[2]), true);
        // Undertow's own file serving (ResourceHandler: PathResource.serve sends by transferFrom), the yardstick
        HttpHandler own = new ResourceHandler(new PathResourceManager(root));
        HttpHandler paths = Handlers.path(gzip).addPrefixPath("/own", own);
        HttpHandler logged = new AccessLogHandler(paths, message -> {
            synchronized (log) {
                log.println(message);
            }
        }, "%m %U%q %s %b", UndertowMain.class.getClassLoader());
        Undertow.Builder builder = Undertow.builder()
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .addHttpListener(Integer.parseInt(args[0]), "127.0.0.1")
                .setHandler(logged);
        boolean tls = args.length > 3 && !args[3].equals("-");
        if (tls) {
            builder.addHttpsListener(0, "127.0.0.1", sslContext(Path.of(args[3])));
        }
        Undertow server = builder.build();
        server.start();
        System.out.println("PORT " + port(server, 0));
        if (tls) {
            System.out.println("TLS " + port(server, 1));
        }
    }

    private static int port(Undertow server, int listener) {
        return ((InetSocketAddress) server.getListenerInfo().get(listener).getAddress()).getPort();
    }

    private static SSLContext sslContext(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }
}
