package zc.session.env;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file system a file lives on (ext4, xfs, tmpfs, overlay, nfs...), which decides what zero-copy can do with it:
 * from OSHI's list of mounts, the one whose mount point is the longest prefix of the file's real path (the last
 * such mount when several share it: it hides the others).
 *
 * @param type  the file system type, {@code "?"} when no mount covers the path
 * @param mount its mount point
 */
public record FileSystemOf(String type, String mount) {

    public static FileSystemOf path(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            real = file.toAbsolutePath().normalize();
        }
        return among(Oshi.system().getOperatingSystem().getFileSystem().getFileStores(false).stream()
                .map(s -> new FileSystemOf(s.getType(), s.getMount())).toList(), real);
    }

    /** The mount among {@code mounts} (in mount order) that holds {@code real}. */
    static FileSystemOf among(List<FileSystemOf> mounts, Path real) {
        FileSystemOf best = new FileSystemOf("?", "?");
        int bestLength = -1;
        for (FileSystemOf m : mounts) {
            Path mount = Path.of(m.mount());
            if (real.startsWith(mount) && mount.getNameCount() >= bestLength) {
                best = m;
                bestLength = mount.getNameCount();
            }
        }
        return best;
    }

    /** {@code ext4 (/)}. */
    public String describe() {
        return type + " (" + mount + ")";
    }
}
