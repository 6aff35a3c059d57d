package zc.containers.jersey;

import java.nio.file.Path;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import zc.containers.jetty.Jetty12Main;

/**
 * Jersey 3.1 on Jetty 12 (ee10): Jersey's ServletContainer with {@link FileResource} in the place of the download
 * servlet, everything else as {@link Jetty12Main} (GzipHandler on {@code /gz/*}, TLS, h2c, access log). Same
 * arguments; prints {@code PORT n} and {@code TLS n}.
 */
public final class JerseyJettyMain {
    private JerseyJettyMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]).toAbsolutePath();
        Jetty12Main.run(args, new ServletContainer(new ResourceConfig().register(new FileResource(root))));
    }
}
