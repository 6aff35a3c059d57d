package zc.demo.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void parsesTheSpellingsUsersType() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(64 * 1024, Sizes.parse("64k"));
        assertEquals(256L << 20, Sizes.parse("256m"));
        assertEquals(256L << 20, Sizes.parse("256M"));
        assertEquals(1L << 30, Sizes.parse("1g"));
        assertEquals(1L << 30, Sizes.parse("1GiB"));
        assertEquals(2L << 20, Sizes.parse("2MB"));
        assertEquals(3L << 40, Sizes.parse(" 3t "));
    }

    @Test
    void rejectsWhatIsNotASizeWithAMessageForUsers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("12x"));
        assertEquals("'12x' is not a size (examples: 4096, 64k, 256m, 1g)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1m"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("1.5g"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse(""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999t"))
                .getMessage().contains("too large"));
    }

    @Test
    void formatsForHumans() {
        assertEquals("64 MiB", Sizes.format(64L << 20));
        assertEquals("1 GiB", Sizes.format(1L << 30));
        assertEquals("1.5 KiB", Sizes.format(1536));
        assertEquals("100 B", Sizes.format(100));
    }
}
