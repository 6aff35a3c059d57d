package zc.agents;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The static-file demo ({@code zc.demo.httpserver.StaticFileServer}): its {@code copyBody} loop from a
 * FileInputStream into the socket's stream is rewritten, and every body of {@code minBytes} or more goes by sendfile.
 */
final class StaticFileApp implements TestApp {
    private static final String MAIN = "zc.demo.httpserver.StaticFileServer";

    @Override
    public String name() {
        return "static-file demo";
    }

    @Override
    public List<String> command(Path root) {
        return List.of("-cp", Jars.DEMOS.toAbsolutePath().toString(), MAIN, "--root", root.toString(), "--port", "0");
    }

    @Override
    public String readyPrefix() {
        return "ZC-LISTENING ";
    }

    @Override
    public URI url(int port, String file) {
        return URI.create("http://127.0.0.1:" + port + "/" + file);
    }

    @Override
    public String tracedMethods() {
        return MAIN + "[respond,copyBody]";
    }

    @Override
    public List<String> spanNames() {
        return List.of("StaticFileServer.respond", "StaticFileServer.copyBody");
    }

    @Override
    public String coveredClass() {
        return MAIN.replace('.', '/');
    }

    @Override
    public String copySite() {
        return MAIN + ".copyBody(Ljava/io/InputStream;Ljava/io/OutputStream;[B)V";
    }

    @Override
    public boolean copySiteIsLoop() {
        return true;
    }

    @Override
    public Outcome expected(long bytesServed) {
        return new Outcome("rewritten", null, bytesServed);
    }

    @Override
    public String toString() {
        return name();
    }
}
