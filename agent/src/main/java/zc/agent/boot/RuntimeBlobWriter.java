package zc.agent.boot;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Build step (agent/pom.xml, process-classes; not shipped in the agent jar): packs the runtime classes listed in
 * {@code runtime-classes.txt} into one jar entry, {@link RuntimeClasses#BLOB}, each class after its superclass and
 * interfaces, so that the agent's start reads one entry and defines every class in one pass with no retry.
 *
 * <p>Format: u2 class count, then per class u2 name length, the binary name (ASCII, dotted), u4 length, the class
 * file. Usage: {@code RuntimeBlobWriter CLASSES_DIR}, with {@code zc/agent/boot/runtime-classes.txt} under it.
 */
public final class RuntimeBlobWriter {
    private RuntimeBlobWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path classes = Path.of(args[0]);
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(classes.resolve("zc/agent/boot/runtime-classes.txt"))) {
            String l = line.strip();
            if (l.endsWith(".class")) {
                names.add(l.substring(0, l.length() - 6).replace('/', '.'));
            }
        }
        Map<String, Class<?>> loaded = new LinkedHashMap<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : names) {
                loaded.put(name, Class.forName(name, false, loader));
            }
            Set<String> ordered = new LinkedHashSet<>();
            for (Class<?> c : loaded.values()) {
                supertypesFirst(c, loaded, ordered);
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(buf)) {
                out.writeShort(ordered.size());
                for (String name : ordered) {
                    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
                    byte[] bytes = Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
                    out.writeShort(n.length);
                    out.write(n);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
            Files.write(classes.resolve(RuntimeClasses.BLOB), buf.toByteArray());
        }
    }

    private static void supertypesFirst(Class<?> c, Map<String, Class<?>> listed, Set<String> ordered)
            throws IOException {
        if (c == null || !listed.containsKey(c.getName()) || ordered.contains(c.getName())) {
            return;
        }
        supertypesFirst(c.getSuperclass(), listed, ordered);
        for (Class<?> i : c.getInterfaces()) {
            supertypesFirst(i, listed, ordered);
        }
        ordered.add(c.getName());
    }
}
