package zc.agent.containers;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Members of a container's or framework's classes, found by name from the real object's class (those classes are
 * not visible to zc's loader) and made accessible once; calls that throw what the member threw.
 */
public final class Reflect {
    private Reflect() {
    }

    /** A field declared by {@code c} or a superclass, of exactly {@code type} (null: any type). */
    public static Field field(Class<?> c, String name, Class<?> type) throws NoSuchFieldException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    if (type != null && f.getType() != type) {
                        throw new NoSuchFieldException(c.getName() + "." + name + " is a " + f.getType().getName());
                    }
                    f.setAccessible(true);
                    return f;
                }
            }
        }
        throw new NoSuchFieldException(c.getName() + "." + name);
    }

    /** A method declared by {@code c} or a superclass. */
    public static Method method(Class<?> c, String name, Class<?>... params) throws NoSuchMethodException {
        Method m = optional(c, name, params);
        if (m == null) {
            throw new NoSuchMethodException(c.getName() + "." + name);
        }
        return m;
    }

    /** A method declared by {@code c} or a superclass, or null (a member some versions have). */
    public static Method optional(Class<?> c, String name, Class<?>... params) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Method m = k.getDeclaredMethod(name, params);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        return null;
    }

    /** Calls {@code m}; what it throws (an IOException, a RuntimeException, an Error) is thrown as it is. */
    public static Object call(Method m, Object target, Object... args) throws IOException {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
