package zc.corpus;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The corpus's commons-io {@code BoundedInputStream} sources, apart from {@link CorpusMain}: runs whose class path has
 * no commons-io (the loop corpus, the fault programs) never load this class: CorpusMain calls it only for those
 * sources.
 */
final class CommonsBounded {
    private CommonsBounded() {
    }

    static InputStream source(String kind, Path src, int size) throws IOException {
        switch (kind) {
            case "ciBounded": // commons-io's BoundedInputStream: three quarters of the file, from a FileInputStream
                return bounded(new FileInputStream(src.toFile()), size * 3L / 4).get();
            case "ciBoundedChannel": { // a range: skip 100, then half the file, from Files.newInputStream
                InputStream in = Files.newInputStream(src);
                in.skip(Math.min(100, size));
                return bounded(in, size / 2).get();
            }
            case "ciBoundedExact": { // a limit equal to what is left after a skip of 100, counted from 5
                InputStream in = Files.newInputStream(src);
                long skipped = in.skip(Math.min(100, size));
                return bounded(in, 5 + size - skipped).setCount(5).get();
            }
            case "ciBoundedPastEnd": // a limit past the end of the file: the file's end comes first
                return bounded(new FileInputStream(src.toFile()), size + 10L).get();
            case "ciBoundedUnlimited": // maxCount -1: no limit, only the count
                return new BoundedInputStream(Files.newInputStream(src));
            case "ciBoundedAfterRead": // declined: the builder's afterRead consumer sees every read
                return bounded(new FileInputStream(src.toFile()), size / 2).setAfterRead(n -> { }).get();
            case "ciBoundedOnMax": // declined: the builder's onMaxCount consumer runs at the limit
                return bounded(new FileInputStream(src.toFile()), size / 2).setOnMaxCount((m, c) -> { }).get();
            case "ciBoundedSubclass": // declined: a subclass may override the read hooks
                return new BoundedInputStream(new FileInputStream(src.toFile()),
                        size / 2L) {
                };
            case "ciBoundedBuffered": // declined inside: a BufferedInputStream that has already read
                return bounded(new BufferedInputStream(Files.newInputStream(src)), size / 2).get();
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** Its count as the copy left it, then what its reads still let through. */
    static String position(InputStream in) throws IOException {
        BoundedInputStream b = (BoundedInputStream) in;
        return "bounded:" + b.getCount() + ":" + b.getRemaining() + ":" + b.available() + ":" + b.read();
    }

    private static BoundedInputStream.Builder bounded(InputStream in, long maxCount) {
        return BoundedInputStream.builder().setInputStream(in).setMaxCount(maxCount);
    }
}
