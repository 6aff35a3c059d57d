package zc.agent.match;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers "is this class an InputStream / OutputStream?" for the static types a loop's calls name. The usual JDK
 * types are known; for any other, its superclass chain is read from the class files through the defining loader,
 * without loading (and initialising) the classes: both are classes, so the superclasses decide. A type without a
 * class file is asked of the loader.
 *
 * <p>{@link ClassFiles} reads only the header, with no bytecode library: the rewrite cache asks the same questions
 * again, before it trusts a cached rewrite, without loading ASM. This used ByteBuddy's type pool, which cost ~25 ms of
 * CPU per Spring Boot start (its type descriptions loaded and run cold) for the same answers.
 *
 * <p>Every answer for a type other than the known JDK ones is recorded ({@link #answers}): a cached rewrite is valid
 * only while they still hold.
 */
public final class StreamTypePool implements CopyLoopFinder.StreamTypes {
    /**
     * A question asked and its answer.
     *
     * @param type   internal name
     * @param output true for "is it an OutputStream?", false for InputStream
     * @param answer the answer then
     */
    public record Answer(String type, boolean output, boolean answer) {
    }

    private static final Set<String> KNOWN_INPUT = Set.of("java/io/InputStream", "java/io/FileInputStream",
            "java/io/FilterInputStream", "java/io/BufferedInputStream");
    private static final Set<String> KNOWN_OUTPUT = Set.of("java/io/OutputStream", "java/io/FileOutputStream",
            "java/io/FilterOutputStream", "java/io/BufferedOutputStream");
    /** Guards against a malformed or cyclic chain. */
    private static final int MAX_DEPTH = 64;

    private final ClassLoader loader;
    /** Superclass by class, as read from class files; "" for a class with no class file. */
    private final Map<String, String> superOf = new HashMap<>();

    private final List<Answer> answers = new ArrayList<>();

    public StreamTypePool(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public boolean isInputStream(String internalName) {
        return KNOWN_INPUT.contains(internalName) || recorded(internalName, false,
                assignable(internalName, InputStream.class));
    }

    @Override
    public boolean isOutputStream(String internalName) {
        return KNOWN_OUTPUT.contains(internalName) || recorded(internalName, true,
                assignable(internalName, OutputStream.class));
    }

    /** The questions this pool answered from class files or the loader, in order. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Whether every answer is still the same through {@code loader}. */
    public static boolean stillHold(ClassLoader loader, List<Answer> answers) {
        StreamTypePool pool = new StreamTypePool(loader);
        for (Answer a : answers) {
            if ((a.output() ? pool.isOutputStream(a.type()) : pool.isInputStream(a.type())) != a.answer()) {
                return false;
            }
        }
        return true;
    }

    private boolean recorded(String type, boolean output, boolean answer) {
        answers.add(new Answer(type, output, answer));
        return answer;
    }

    private boolean assignable(String internalName, Class<?> to) {
        String target = to.getName().replace('.', '/');
        String name = internalName;
        try {
            for (int depth = 0; name != null && depth < MAX_DEPTH; depth++) {
                if (name.equals(target)) {
                    return true;
                }
                if (name.equals("java/lang/Object")) {
                    return false;
                }
                String parent = superOf.get(name);
                if (parent == null) {
                    parent = superName(name);
                    superOf.put(name, parent);
                }
                if (parent.isEmpty()) {
                    return loaded(name, to);
                }
                name = parent;
            }
            return false;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The superclass named by the class file, or "" where the loader serves none (or an interface's Object). */
    private String superName(String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                return "";
            }
            String s = ClassFiles.superName(in.readAllBytes());
            return s == null ? "" : s;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * A class its loader defined from bytes it serves no resource for (generated classes, Groovy, some plugin
     * loaders) has no class file to read: ask the loader for the class itself, without initialising it, rather
     * than call it "not an OutputStream".
     */
    private boolean loaded(String internalName, Class<?> to) {
        try {
            return to.isAssignableFrom(Class.forName(internalName.replace('/', '.'), false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
