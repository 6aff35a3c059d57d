package zc.containers;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A download servlet as applications write it: the file named by the last path segment, copied from a
 * FileInputStream into {@code response.getOutputStream()} by the classic loop ({@code copy=loop}, the default) or
 * {@code InputStream.transferTo} ({@code copy=transferTo}); Content-Length set from the file's size unless
 * {@code cl=0} (the container then chunks); {@code more=1} writes a line after the file. GET and HEAD alike (HEAD
 * through the container's own response stream, not HttpServlet's NoBodyResponse). A failed copy prints
 * {@code COPY FAILED <exception class>} (what the servlet saw, compared with and without zc) and is rethrown.
 */
public class FileServlet extends HttpServlet {
    private final Path root;

    public FileServlet(Path root) {
        this.root = root;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
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
