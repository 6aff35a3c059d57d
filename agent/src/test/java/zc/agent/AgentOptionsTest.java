package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOptionsTest {

    @Test
    void defaultsRewriteWithSendfile() {
        AgentOptions o = AgentOptions.parse(null);
        assertEquals(AgentOptions.Mode.REWRITE, o.mode());
        assertEquals(AgentOptions.Strategy.AUTO, o.strategy());
        assertEquals(64 * 1024, o.minBytes());
        assertEquals(AgentOptions.Log.ERROR, o.log());
        assertEquals("auto", o.cache());
        assertEquals(o, AgentOptions.parse(""));
    }

    @Test
    void cacheIsAutoOffOrADirectory() {
        assertEquals("off", AgentOptions.parse("cache=OFF").cache());
        assertEquals("auto", AgentOptions.parse("cache=auto").cache());
        assertEquals("/var/cache/zc", AgentOptions.parse("cache=/var/cache/zc").cache());
        assertEquals("cache=: '' is not auto, off or a directory",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("cache=")).getMessage());
    }

    @Test
    void mmapStartsAtALargerSizeUnlessMinBytesIsGiven() {
        assertEquals(1 << 20, AgentOptions.parse("strategy=mmap").minBytes());
        assertEquals(1 << 20, AgentOptions.parse("sendfile=off").minBytes(), "auto falls back to mmap");
        assertEquals(64 * 1024, AgentOptions.parse("strategy=sendfile").minBytes());
        assertEquals(4096, AgentOptions.parse("strategy=mmap,minBytes=4k").minBytes());
        assertEquals(0, AgentOptions.parse("").recentMillis(), "recent is off by default");
        assertEquals(5000, AgentOptions.parse("recent=5s").recentMillis());
        assertEquals(500, AgentOptions.parse("recent=500ms").recentMillis());
        assertEquals(250, AgentOptions.parse("recent=250").recentMillis());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("recent=1h"));
        assertEquals("recent=1h: '1h' is not a duration (e.g. 500ms, 2s)", bad.getMessage());
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
    void hookIsNativeUnlessJavaIsAsked() {
        assertEquals(AgentOptions.Hook.NATIVE, AgentOptions.parse("").hook());
        assertEquals(AgentOptions.Hook.JAVA, AgentOptions.parse("hook=java").hook());
        assertEquals("hook=c: 'c' is not one of native|java",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("hook=c")).getMessage());
    }

    @Test
    void environmentNamesSplitCamelCase() {
        List<String> names = new java.util.ArrayList<>();
        for (String key : AgentOptions.KEYS) {
            names.add(AgentOptions.envName(key));
        }
        assertEquals(List.of("ZC_MODE", "ZC_STRATEGY", "ZC_MIN_BYTES", "ZC_OUT", "ZC_INCLUDE", "ZC_EXCLUDE", "ZC_LOG",
                "ZC_SENDFILE", "ZC_MMAP", "ZC_RECEIVE", "ZC_CONFIG", "ZC_RECENT", "ZC_CACHE", "ZC_HOOK"), names);
        assertEquals("ZC_A_BC_D", AgentOptions.envName("aBcD"));
    }

    /** toString is written out (no ObjectMethods call site at start-up) and must stay the record's own format. */
    @Test
    void toStringIsTheRecordFormat() throws Exception {
        AgentOptions o = AgentOptions.parse("include=com.acme.*:org.x.Y,exclude=*Test,out=/tmp/x,log=debug,mmap=off");
        java.util.StringJoiner expected = new java.util.StringJoiner(", ", "AgentOptions[", "]");
        for (java.lang.reflect.RecordComponent c : AgentOptions.class.getRecordComponents()) {
            expected.add(c.getName() + "=" + c.getAccessor().invoke(o));
        }
        assertEquals(expected.toString(), o.toString());
        assertTrue(o.toString().contains("include=[com.acme.*, org.x.Y], exclude=[*Test]"), o.toString());
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
        assertEquals("mode=fast: 'fast' is not one of off|observe|rewrite",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("mode=fast")).getMessage());
        assertEquals("unknown option 'speed' (known: mode, strategy, minBytes, out, include, exclude, log, sendfile, "
                + "mmap, receive, config, recent, cache, hook)",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("speed=1")).getMessage());
        assertEquals("option 'strategy' is not key=value",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("strategy")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("minBytes=-1"))
                .getMessage().startsWith("minBytes=-1: '-1' is not a size"));
        assertEquals("mode given twice (mode=off, mode=observe)",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("mode=off,mode=observe"))
                        .getMessage());
        assertEquals("cannot read the config file /nonexistent/zc.properties: no such file",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(
                        "config=/nonexistent/zc.properties")).getMessage());
        assertEquals(2, AgentOptions.parse("include=a.*,include=b.*").include().size(), "include adds up");
    }

    @Test
    void argumentsWinOverSystemPropertiesOverEnvironmentOverTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("zc.properties");
        Files.writeString(file, "mode=off\nlog=debug\nminBytes=1k\nstrategy=mmap\n");
        Properties system = new Properties();
        system.setProperty("zc.mode", "observe");
        system.setProperty("zc.log", "info");
        Map<String, String> env = Map.of("ZC_MODE", "rewrite", "ZC_MIN_BYTES", "2k", "ZC_CONFIG", file.toString());

        AgentOptions all = AgentOptions.resolve("log=quiet", system, env);
        assertEquals(AgentOptions.Log.QUIET, all.log(), "the agent argument wins");
        assertEquals(AgentOptions.Mode.OBSERVE, all.mode(), "-Dzc.mode beats ZC_MODE and the file");
        assertEquals(2048, all.minBytes(), "ZC_MIN_BYTES beats the file");
        assertEquals(AgentOptions.Strategy.MMAP, all.strategy(), "the file, where nothing else says");

        assertEquals(AgentOptions.Mode.REWRITE, AgentOptions.resolve(null, new Properties(), env).mode());
        assertEquals(AgentOptions.Mode.OFF,
                AgentOptions.resolve("config=" + file, new Properties(), Map.of()).mode());
        assertEquals("ZC_MODE=fast: 'fast' is not one of off|observe|rewrite",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.resolve(null, new Properties(),
                        Map.of("ZC_MODE", "fast"))).getMessage());
    }

    @Test
    void aSwitchPerStrategy() {
        assertEquals(AgentOptions.Strategy.SENDFILE, AgentOptions.parse("").effective());
        assertEquals(AgentOptions.Strategy.MMAP, AgentOptions.parse("sendfile=off").effective());
        assertEquals(null, AgentOptions.parse("sendfile=off,mmap=off").effective());
        assertEquals(null, AgentOptions.parse("strategy=mmap,mmap=off").effective());
        assertEquals(AgentOptions.Strategy.SENDFILE, AgentOptions.parse("strategy=sendfile,mmap=off").effective());
        assertTrue(AgentOptions.parse("sendfile=off,mmap=off").receive(), "receives do not use sendfile or mmap");
        assertFalse(AgentOptions.parse("receive=off").receive());
    }
}
