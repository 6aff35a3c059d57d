package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void defaultsRewriteWithSendfile() {
        AgentOptions o = AgentOptions.parse(null);
        assertEquals(AgentOptions.Mode.REWRITE, o.mode());
        assertEquals(AgentOptions.Strategy.AUTO, o.strategy());
        assertEquals(64 * 1024, o.minBytes());
        assertEquals(AgentOptions.Log.ERROR, o.log());
        assertEquals(o, AgentOptions.parse(""));
    }

    @Test
    void parsesEveryKey() {
        AgentOptions o = AgentOptions.parse("mode=observe,strategy=mmap,minBytes=1m,out=/tmp/x,"
                + "include=com.acme.*:org.x.Y,exclude=com.acme.internal.*,log=INFO");
        assertEquals(AgentOptions.Mode.OBSERVE, o.mode());
        assertEquals(AgentOptions.Strategy.MMAP, o.strategy());
        assertEquals(1 << 20, o.minBytes());
        assertEquals("/tmp/x", o.out());
        assertEquals(List.of("com.acme.*", "org.x.Y"), o.include());
        assertEquals(AgentOptions.Log.INFO, o.log());
    }

    @Test
    void includeAndExcludeSelectClasses() {
        AgentOptions o = AgentOptions.parse("include=com.acme.*:org.x.Y,exclude=com.acme.internal.*");
        assertTrue(o.covers("com.acme.web.Files"));
        assertTrue(o.covers("org.x.Y"));
        assertFalse(o.covers("org.x.Yz"));
        assertFalse(o.covers("com.acme.internal.Copy"));
        assertFalse(o.covers("net.other.Copy"));
        assertTrue(AgentOptions.parse("exclude=*Test").covers("a.B"));
        assertFalse(AgentOptions.parse("exclude=*Test").covers("a.BTest"));
    }

    @Test
    void badOptionsAreOneLineMessages() {
        assertEquals("mode=fast is not one of off|observe|rewrite",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("mode=fast")).getMessage());
        assertEquals("unknown option 'speed' (known: mode, strategy, minBytes, out, include, exclude, log)",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("speed=1")).getMessage());
        assertEquals("option 'strategy' is not key=value",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("strategy")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("minBytes=-1"))
                .getMessage().startsWith("minBytes=-1 is not a size"));
    }
}
