package zc.demo.strategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A file -> file lesson: the harness measures {@link #copy} alone. */
public interface FileCopier {

    void copy(Path source, Path target, DemoOptions options) throws IOException;

    default Map<String, Object> details() {
        return Map.of();
    }
}
