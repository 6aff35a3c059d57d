package zc.agent.boot;

/**
 * The agent's one direct call into {@code jdk.internal.misc}: {@code Unsafe.defineClass} with a null loader, the
 * JDK's own way to define a class in the bootstrap loader (JDK 11 to 25), for {@link RuntimeClasses}.
 *
 * <p>Compiled apart from the rest of the agent (agent/pom.xml, {@code --add-exports}, which {@code --release}
 * forbids), so that the call links like any other: through a method handle it spun five LambdaForm classes and
 * their JIT work at every start. Used only after java.base has exported the package to the agent's module
 * ({@code Instrumentation.redefineModule}); before that, or where a JDK refuses it, the first use throws
 * {@link IllegalAccessError}, and the agent falls back to the boot class path.
 */
final class BootDefiner {
    private static final jdk.internal.misc.Unsafe UNSAFE = jdk.internal.misc.Unsafe.getUnsafe();

    private BootDefiner() {
    }

    /** Defines {@code length} bytes of {@code classes} from {@code offset} as {@code name} in the bootstrap loader. */
    static Class<?> define(String name, byte[] classes, int offset, int length) {
        return UNSAFE.defineClass(name, classes, offset, length, null, null);
    }
}
