package zc.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import zc.demo.harness.RunResult;

class DemoRunTest {
    private static final RunResult SENT = result("sender", 100, "crc32c:00000001", Map.of("confirmedBytes", 100));

    @Test
    void okWhenLengthChecksumAndReceiptAllMatch() {
        assertEquals("ok", DemoRun.integrity(100, SENT, result("receiver", 100, "crc32c:00000001", Map.of())));
    }

    @Test
    void namesWhatDidNotMatch() {
        assertEquals("receiver got 99 bytes, sender sent 100",
                DemoRun.integrity(100, SENT, result("receiver", 99, "crc32c:00000001", Map.of())));
        assertEquals("checksum mismatch: sent crc32c:00000001, received crc32c:00000002",
                DemoRun.integrity(100, SENT, result("receiver", 100, "crc32c:00000002", Map.of())));
        assertEquals("sender sent 100 bytes of a 101-byte file",
                DemoRun.integrity(101, SENT, result("receiver", 100, "crc32c:00000001", Map.of())));
        RunResult unconfirmed = result("sender", 100, "crc32c:00000001", Map.of("confirmedBytes", 7));
        assertEquals("receiver confirmed 7 bytes, sender sent 100",
                DemoRun.integrity(100, unconfirmed, result("receiver", 100, "crc32c:00000001", Map.of())));
    }

    private static RunResult result(String role, long bytes, String crc, Map<String, Object> details) {
        return new RunResult(role, "sendfile", bytes, crc, null, Map.of(), details);
    }
}
