package zc.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read/write counters of {@code /proc/PID/io}. They aggregate every thread of the process, threads that have
 * exited included. {@code syscr}/{@code syscw} count read- and write-family calls: sendfile and copy_file_range count
 * one of each, splice counts nothing (see docs/counters.md).
 */
public record ProcIo(long rchar, long wchar, long syscr, long syscw, long readBytes, long writeBytes) {

    public static ProcIo read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static ProcIo parse(String text) {
        KeyValues kv = KeyValues.parse(text);
        return new ProcIo(kv.require("rchar"), kv.require("wchar"), kv.require("syscr"), kv.require("syscw"),
                kv.orZero("read_bytes"), kv.orZero("write_bytes"));
    }
}
