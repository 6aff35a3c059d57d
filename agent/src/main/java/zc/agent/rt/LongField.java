package zc.agent.rt;

import java.lang.invoke.VarHandle;

/**
 * A private {@code long} field that zc reads and writes on the real object (a wrapper's count: JDK httpserver's
 * {@code FixedLengthOutputStream.remaining}, Guava's {@code LimitedInputStream.left}), by name; its VarHandle is
 * looked up once per class, on the object's own class (container and library classes are not visible to zc). A
 * VarHandle's get and set with these shapes link to the JDK's pre-generated guards: no class is spun (issue 15).
 */
final class LongField {
    private final ClassValue<VarHandle> handles;

    LongField(String name) {
        this.handles = new ClassValue<>() {
            @Override
            protected VarHandle computeValue(Class<?> owner) {
                try {
                    return JdkAccess.lookup(owner).findVarHandle(owner, name, long.class);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    long get(Object owner) {
        return (long) handles.get(owner.getClass()).get(owner);
    }

    void set(Object owner, long value) {
        handles.get(owner.getClass()).set(owner, value);
    }
}
