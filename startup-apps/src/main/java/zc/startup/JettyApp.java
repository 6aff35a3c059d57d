package zc.startup;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The Jetty application of {@code zc bench startup}: Jetty 12's core {@code ResourceHandler} serving the files of
 * one folder on an ephemeral loopback port. Prints {@code port N} once it listens.
 */
public final class JettyApp {
    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(java.nio.file.Path.of(args[0]).toAbsolutePath()));
        server.setHandler(files);
        server.start();
        System.out.println("port " + connector.getLocalPort());
    }
}
