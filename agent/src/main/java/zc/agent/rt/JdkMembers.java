package zc.agent.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * Looks up the JDK members of one family of {@link JdkAccess} handles (a holder class, initialised on the family's
 * first use). A member missing on this JDK leaves null behind and the first failure becomes the family's reason to
 * decline ({@link #unavailable()}), so a holder's static initialiser never throws.
 *
 * <p>Fields are VarHandles: their {@code get}/{@code set} with the call sites' shapes link to the JDK's pre-generated
 * {@code VarHandleGuards} and spin no class, where a {@code findGetter(..).asType(..)} spins LambdaForm classes (issue
 * 15). Methods are adapted once to types zc can name, for {@code invokeExact}.
 */
final class JdkMembers {
    private final String what;
    private Throwable missing;

    JdkMembers(String what) {
        this.what = what;
    }

    Class<?> type(String name) {
        try {
            return Class.forName(name);
        } catch (Throwable t) {
            return missing(t);
        }
    }

    VarHandle field(Class<?> owner, String name, Class<?> type) {
        try {
            return JdkAccess.lookup(owner).findVarHandle(owner, name, type);
        } catch (Throwable t) {
            return missing(t);
        }
    }

    VarHandle staticField(Class<?> owner, String name, Class<?> type) {
        try {
            return JdkAccess.lookup(owner).findStaticVarHandle(owner, name, type);
        } catch (Throwable t) {
            return missing(t);
        }
    }

    /** A static int or short constant (UnixConstants.S_IFMT, Net.POLLOUT), or -1 where it is missing. */
    int constant(Class<?> owner, String name, Class<?> type) {
        VarHandle field = staticField(owner, name, type);
        if (field == null) {
            return -1;
        }
        return type == short.class ? (short) field.get() : (int) field.get();
    }

    /** A static field's value (a JDK singleton such as NioSocketImpl.nd), or null where it is missing. */
    Object staticValue(Class<?> owner, String name, Class<?> type) {
        VarHandle field = staticField(owner, name, type);
        return field == null ? null : field.get();
    }

    /**
     * A static method whose return or parameter types include one zc cannot name (and which may be missing on this
     * JDK), adapted to {@code as}.
     */
    MethodHandle adaptedStatic(Class<?> owner, String name, MethodType as, Class<?> returns, Class<?>... parameters) {
        try {
            return JdkAccess.lookup(owner).findStatic(owner, name, MethodType.methodType(returns, parameters))
                    .asType(as);
        } catch (Throwable t) {
            return missing(t);
        }
    }

    /** An instance method of {@code owner} declared as {@code type}, adapted to {@code as} (receiver first). */
    MethodHandle method(Class<?> owner, String name, MethodType type, MethodType as) {
        try {
            return JdkAccess.lookup(owner).findVirtual(owner, name, type).asType(as);
        } catch (Throwable t) {
            return missing(t);
        }
    }

    MethodHandle staticMethod(Class<?> owner, String name, MethodType type) {
        try {
            return JdkAccess.lookup(owner).findStatic(owner, name, type);
        } catch (Throwable t) {
            return missing(t);
        }
    }

    /** Null when every member looked up so far is there; otherwise why the family is not usable on this JDK. */
    String unavailable() {
        return missing == null ? null : what + " unavailable on " + Runtime.version() + ": " + missing;
    }

    private <T> T missing(Throwable t) {
        if (missing == null) {
            missing = t;
        }
        return null;
    }
}
