package zc.session.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file system of a file, from OSHI's mounts: checked against the JDK's FileStore, which stats the file. */
class FileSystemOfTest {
    @TempDir
    Path dir;

    @Test
    void aTemporaryFileIsOnTheFileSystemTheJdkSees() throws Exception {
        Path file = Files.writeString(dir.resolve("moved.bin"), "bytes");
        assertEquals(Files.getFileStore(file).type(), FileSystemOf.path(file).type());
    }

    @Test
    void sharedMemoryIsTmpfsNotTheRootBelowIt() throws Exception {
        // OSHI leaves /dev/shm out by default; zc puts it back (a tmpfs file served from there is not on ext4)
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "no tmpfs /dev/shm");
        Path file = Files.createTempFile(shm, "zc-", ".bin");
        try {
            assertEquals(new FileSystemOf("tmpfs", "/dev/shm"), FileSystemOf.path(file));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theLongestMountPointWinsAndTheLastOfEqualOnes() {
        List<FileSystemOf> mounts = List.of(new FileSystemOf("ext4", "/"), new FileSystemOf("xfs", "/data"),
                new FileSystemOf("nfs", "/data/shared"), new FileSystemOf("overlay", "/data/shared"),
                new FileSystemOf("tmpfs", "/data/sharedx"));
        assertEquals("overlay", FileSystemOf.among(mounts, Path.of("/data/shared/a/b.bin")).type());
        assertEquals("xfs", FileSystemOf.among(mounts, Path.of("/data/file")).type());
        assertEquals("ext4", FileSystemOf.among(mounts, Path.of("/datafile")).type());
        assertEquals("?", FileSystemOf.among(List.of(new FileSystemOf("xfs", "/data")), Path.of("/etc")).type());
    }
}
