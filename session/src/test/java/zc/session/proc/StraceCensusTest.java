package zc.session.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StraceCensusTest {

    @Test
    void parsesTheSummaryTableWithAndWithoutErrorColumn() throws Exception {
        // `strace -f -c` of the splice demo sending 64 MiB through a 1 MiB pipe (strace 6.1, Linux 6.18)
        Map<String, Long> calls = StraceCensus.parse(Files.readString(Path.of("src/test/resources/strace-c-splice.txt")));
        assertEquals(129, calls.get("splice"), "64 file->pipe + 64 pipe->socket + the final 0");
        assertEquals(434, calls.get("futex"), "a row with an errors column");
        assertEquals(292, calls.get("read"));
        assertEquals(1, calls.get("shutdown"));
        assertFalse(calls.containsKey("total"));
        assertEquals(List.of("gettid", "futex", "read"), calls.keySet().stream().limit(3).toList(),
                "sorted by calls, most first");
    }
}
