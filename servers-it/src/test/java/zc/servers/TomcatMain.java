package zc.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;

/**
 * Apache Tomcat embedded with its DefaultServlet serving a folder, all settings at their defaults (the NIO
 * connector, sendfile on) but the address: 127.0.0.1 and an ephemeral port. Prints {@code PORT n} when ready;
 * runs until the JVM is told to stop.
 */
public final class TomcatMain {
    private TomcatMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("zc-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", root.toString());
        Wrapper servlet = Tomcat.addServlet(context, "default", new DefaultServlet());
        servlet.addInitParameter("listings", "false");
        context.addServletMappingDecoded("/", "default");
        tomcat.start();
        System.out.println("PORT " + connector.getLocalPort());
        tomcat.getServer().await();
    }
}
