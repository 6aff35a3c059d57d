package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopShapeTest {

    @Test
    void packsEveryShapeWithItsSiteId() {
        for (LoopShape.Cond cond : LoopShape.Cond.values()) {
            for (boolean range : new boolean[] {false, true}) {
                for (boolean restore : new boolean[] {false, true}) {
                    LoopShape shape = new LoopShape(range, cond, restore);
                    int code = shape.pack(123_456);
                    assertEquals(shape, LoopShape.unpack(code));
                    assertEquals(123_456, LoopShape.siteId(code));
                }
            }
        }
    }

    @Test
    void conditionsStopWhereJavacsComparisonsDo() {
        assertTrue(LoopShape.Cond.NOT_EOF.continues(0));
        assertFalse(LoopShape.Cond.NOT_EOF.continues(-1));
        assertTrue(LoopShape.Cond.NON_NEGATIVE.continues(0));
        assertFalse(LoopShape.Cond.NON_NEGATIVE.continues(-2));
        assertFalse(LoopShape.Cond.POSITIVE.continues(0));
        assertTrue(LoopShape.Cond.POSITIVE.continues(1));
    }
}
