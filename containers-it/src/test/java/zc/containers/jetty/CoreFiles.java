package zc.containers.jetty;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 core handler (no servlets) serving the file named by the last path segment through
 * {@code Content.Sink.asOutputStream(response)} with the classic loop; Content-Length unless {@code cl=0}.
 */
final class CoreFiles extends Handler.Abstract {
    private final Path root;

    CoreFiles(Path root) {
        this.root = root;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        File file = root.resolve(path.substring(path.lastIndexOf('/') + 1)).toFile();
        if (!file.isFile()) {
            Response.writeError(request, response, callback, 404);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        if (!"0".equals(Request.extractQueryParameters(request).getValue("cl"))) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.length());
        }
        try (InputStream in = new FileInputStream(file); OutputStream out = Content.Sink.asOutputStream(response)) {
            copy(in, out);
        } catch (IOException | RuntimeException e) {
            System.out.println("COPY FAILED " + e.getClass().getName());
            callback.failed(e);
            return true;
        }
        callback.succeeded();
        return true;
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
    }
}
