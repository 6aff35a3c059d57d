package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The jar an application gets: entry points in the manifest, and nothing outside zc's own package. */
class AgentJarIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "target/zc-agent.jar");

    @Test
    void exposesNothingButZcsOwnPackage() throws Exception {
        try (JarFile jar = new JarFile(AGENT)) {
            List<String> foreign = jar.stream().map(e -> e.getName())
                    .filter(n -> !n.startsWith("zc/") && !n.startsWith("META-INF/")).toList();
            assertEquals(List.of(), foreign);
            assertFalse(jar.stream().anyMatch(e -> e.getName().contains("bytebuddy")), "ByteBuddy is not shipped");
            assertTrue(jar.stream().anyMatch(e -> e.getName().startsWith("zc/agent/shaded/asm/")));
        }
    }

    @Test
    void declaresItsEntryPoints() throws Exception {
        try (JarFile jar = new JarFile(AGENT)) {
            Manifest m = jar.getManifest();
            assertEquals("zc.agent.ZcAgent", m.getMainAttributes().getValue("Premain-Class"));
            assertEquals("zc.agent.ZcAgent", m.getMainAttributes().getValue("Agent-Class"));
            assertEquals("true", m.getMainAttributes().getValue("Can-Retransform-Classes"));
        }
    }
}
