package zc.agent.rt;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * A private {@code long} field that zc reads and writes on the real object (a wrapper's count: JDK httpserver's
 * {@code FixedLengthOutputStream.remaining}, Guava's {@code LimitedInputStream.left}), by name; the getter and setter
 * are looked up once per class, on the object's own class (container and library classes are not visible to zc).
 */
final class LongField {
    private final ClassValue<MethodHandle[]> handles;

    LongField(String name) {
        this.handles = new ClassValue<>() {
            @Override
            protected MethodHandle[] computeValue(Class<?> owner) {
                try {
                    return new MethodHandle[] {
                        JdkAccess.getter(owner, name, long.class)
                                .asType(MethodType.methodType(long.class, Object.class)),
                        JdkAccess.lookup(owner).findSetter(owner, name, long.class)
                                .asType(MethodType.methodType(void.class, Object.class, long.class))};
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    long get(Object owner) throws IOException {
        MethodHandle getter = handles.get(owner.getClass())[0];
        try {
            return (long) getter.invokeExact(owner);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }

    void set(Object owner, long value) throws IOException {
        MethodHandle setter = handles.get(owner.getClass())[1];
        try {
            setter.invokeExact(owner, value);
        } catch (Throwable t) {
            throw JdkAccess.rethrown(t);
        }
    }
}
