package zc.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Context switches from {@code /proc/PID/task/TID/status}. These belong to one thread: for a Java process
 * {@code /proc/PID/status} describes only the launcher thread (which mostly waits), so it reads near 0.
 */
public record TaskStatus(String name, long voluntaryCtxSwitches, long nonvoluntaryCtxSwitches) {

    public static TaskStatus read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static TaskStatus parse(String text) {
        KeyValues kv = KeyValues.parse(text);
        String name = text.lines().filter(l -> l.startsWith("Name:")).map(l -> l.substring(5).trim())
                .findFirst().orElse("?");
        return new TaskStatus(name, kv.require("voluntary_ctxt_switches"), kv.require("nonvoluntary_ctxt_switches"));
    }
}
