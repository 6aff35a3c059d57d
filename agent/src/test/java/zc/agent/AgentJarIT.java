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

    /**
     * Every class of the jar gets the JVM's type-checking verifier (class file version 50+ with frames; ASM's own
     * jars are version 49, ShadedAsmFrames rewrites them at build time), and every relocated ASM class passes it:
     * each is loaded and initialised here (linking verifies it), in a loader of its own with the platform loader
     * as parent, as the agent's system class loader would.
     */
    @Test
    void everyClassIsVersion50OrLaterAndTheShadedAsmClassesVerify() throws Exception {
        List<String> asm = new java.util.ArrayList<>();
        try (JarFile jar = new JarFile(AGENT)) {
            for (java.util.jar.JarEntry e : java.util.Collections.list(jar.entries())) {
                if (!e.getName().endsWith(".class")) {
                    continue;
                }
                byte[] b = jar.getInputStream(e).readAllBytes();
                assertTrue(((b[6] & 0xff) << 8 | (b[7] & 0xff)) >= 50, e.getName() + " is older than version 50");
                if (e.getName().startsWith("zc/agent/shaded/asm/")) {
                    asm.add(e.getName().substring(0, e.getName().length() - 6).replace('/', '.'));
                }
            }
        }
        assertTrue(asm.size() > 50, asm.toString());
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[] {java.nio.file.Path.of(AGENT).toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String name : asm) {
                Class.forName(name, true, loader); // a VerifyError fails the test
            }
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
