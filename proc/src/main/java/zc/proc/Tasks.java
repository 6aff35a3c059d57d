package zc.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Sums the context switches of the threads alive now under {@code /proc/PID/task}. Threads that already exited are
 * missing: use it only for another process, where {@link Rusage} cannot be called, and sample often.
 */
public final class Tasks {
    private Tasks() {
    }

    public static TaskStatus sumLiveThreads(Path procPid) {
        long voluntary = 0;
        long nonvoluntary = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(procPid.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    TaskStatus status = TaskStatus.read(task.resolve("status"));
                    voluntary += status.voluntaryCtxSwitches();
                    nonvoluntary += status.nonvoluntaryCtxSwitches();
                } catch (NoSuchFileException exitedMeanwhile) {
                    // the thread exited between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TaskStatus("all threads", voluntary, nonvoluntary);
    }
}
