package zc.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PlatformTest {

    @Test
    void refusesAnythingButLinuxWithOneLine() {
        ZcException e = assertThrows(ZcException.class, () -> Platform.requireLinux("Mac OS X"));
        assertEquals("needs Linux (/proc counters, sendfile, splice); this is Mac OS X", e.getMessage());
        assertEquals(ExitCodes.UNSUPPORTED, e.exitCode());
        assertDoesNotThrow(() -> Platform.requireLinux("Linux"));
    }
}
