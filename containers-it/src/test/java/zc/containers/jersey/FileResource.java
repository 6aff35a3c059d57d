package zc.containers.jersey;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A JAX-RS download resource as applications write it: a {@code StreamingOutput} copying a FileInputStream into
 * Jersey's entity stream by the classic loop ({@code copy=loop}) or {@code transferTo}, Content-Length set from the
 * file unless {@code cl=0}, a line after the file with {@code more=1}; the same parameters, output and
 * {@code COPY FAILED} line as zc.containers.FileServlet. The file is the last path segment.
 */
@Path("/")
public class FileResource {
    private final java.nio.file.Path root;

    public FileResource(java.nio.file.Path root) {
        this.root = root;
    }

    @GET
    @Path("{path: .*}")
    public Response get(@PathParam("path") String path, @QueryParam("cl") String cl, @QueryParam("copy") String copy,
                        @QueryParam("more") String more) {
        File file = root.resolve(path.substring(path.lastIndexOf('/') + 1)).toFile();
        if (!file.isFile()) {
            return Response.status(404).build();
        }
        byte[] after = "1".equals(more) ? "written after the file\n".getBytes(StandardCharsets.US_ASCII) : new byte[0];
        StreamingOutput body = out -> {
            try (InputStream in = new FileInputStream(file)) {
                if ("transferTo".equals(copy)) {
                    in.transferTo(out);
                } else {
                    copy(in, out);
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("COPY FAILED " + e.getClass().getName());
                throw e;
            }
            out.write(after);
        };
        Response.ResponseBuilder ok = Response.ok(body, "application/octet-stream");
        if (!"0".equals(cl)) {
            ok.header("Content-Length", file.length() + after.length);
        }
        return ok.build();
    }

    @HEAD
    @Path("{path: .*}")
    public Response head(@PathParam("path") String path, @QueryParam("cl") String cl, @QueryParam("copy") String copy,
                         @QueryParam("more") String more) {
        return get(path, cl, copy, more);
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
    }
}
