package zc.agent.match;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Answers "is this class an InputStream / OutputStream?" for the static types a loop's calls name. The usual JDK
 * types are known; any other is resolved with ByteBuddy's type pool from its class file through the defining
 * loader, without loading (and initialising) it; a type without a class file is asked of the loader. The pool is
 * made only when such a question comes up.
 */
final class StreamTypePool implements CopyLoopFinder.StreamTypes {
    private static final Set<String> KNOWN_INPUT = Set.of("java/io/InputStream", "java/io/FileInputStream",
            "java/io/FilterInputStream", "java/io/BufferedInputStream");
    private static final Set<String> KNOWN_OUTPUT = Set.of("java/io/OutputStream", "java/io/FileOutputStream",
            "java/io/FilterOutputStream", "java/io/BufferedOutputStream");

    private final ClassLoader loader;
    private TypePool pool;

    StreamTypePool(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public boolean isInputStream(String internalName) {
        return KNOWN_INPUT.contains(internalName) || assignable(internalName, InputStream.class);
    }

    @Override
    public boolean isOutputStream(String internalName) {
        return KNOWN_OUTPUT.contains(internalName) || assignable(internalName, OutputStream.class);
    }

    private boolean assignable(String internalName, Class<?> to) {
        try {
            if (pool == null) {
                pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
            }
            TypePool.Resolution r = pool.describe(internalName.replace('/', '.'));
            return r.isResolved() ? r.resolve().isAssignableTo(to) : loaded(internalName, to);
        } catch (RuntimeException | LinkageError e) {
            return false;
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
