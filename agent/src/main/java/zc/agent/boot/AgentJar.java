package zc.agent.boot;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads entries of the agent jar itself. Through ZipFile, not getResourceAsStream: the system class loader has the
 * jar open already (ZipFile shares that index), and getResourceAsStream would first load the jar: URL handler's
 * classes, a few milliseconds of start-up.
 */
final class AgentJar {
    private AgentJar() {
    }

    /**
     * The entry's bytes; null when the jar has no such entry. Throws IOException when the jar cannot be read. Where
     * zc's classes come from a directory (its own unit tests), the file of that name in it.
     */
    static byte[] read(String entry) throws IOException {
        File jar;
        try {
            jar = new File(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IOException("the agent jar's location is not a file: " + e, e);
        }
        if (jar.isDirectory()) {
            java.nio.file.Path file = jar.toPath().resolve(entry);
            return java.nio.file.Files.isRegularFile(file) ? java.nio.file.Files.readAllBytes(file) : null;
        }
        try (ZipFile zip = new ZipFile(jar)) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }
}
