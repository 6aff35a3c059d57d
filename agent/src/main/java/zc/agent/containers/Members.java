package zc.agent.containers;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fields and methods of container objects, found by name on the real object's class and its superclasses (container
 * classes are not visible to zc's boot loader, so nothing links against them), made accessible once and cached per
 * class. Containers on the class path are in unnamed modules, whose members reflection may open; a container on the
 * module path that does not open its packages makes {@link #get}/{@link #call} throw, and the family declines. Two
 * ways in, one cache: by name on each call ({@link #get}, {@link #call}: Jetty, Undertow, Jersey), or resolved once
 * per class loader into {@link Slot}s that a family keeps ({@link #slot}: Helidon).
 */
public final class Members {
    private static final ClassValue<Map<String, AccessibleObject>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, AccessibleObject> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Members() {
    }

    /** The value of field {@code name} of {@code target}. */
    public static Object get(Object target, String name) throws ReflectiveOperationException {
        return ((Field) member(target.getClass(), name, true)).get(target);
    }

    /**
     * Field {@code name} declared by {@code owner} or a superclass, for a caller that resolves its members once (per
     * class loader) and reads them on every call: the lookups and their failures happen here, not per access.
     */
    public static Slot slot(Class<?> owner, String name) throws ReflectiveOperationException {
        return new Slot((Field) member(owner, name, true));
    }

    /** Finds the method {@code name} taking {@code arity} arguments of {@code target}, or throws. */
    public static void require(Object target, String name, int arity) throws ReflectiveOperationException {
        member(target.getClass(), name + "/" + arity, false);
    }

    /** Sets field {@code name} of {@code target}. */
    public static void set(Object target, String name, Object value) throws ReflectiveOperationException {
        ((Field) member(target.getClass(), name, true)).set(target, value);
    }

    /** Whether {@code target}'s class or a superclass declares a field {@code name}. */
    public static boolean hasField(Object target, String name) {
        try {
            member(target.getClass(), name, true);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * Calls the method {@code name} of {@code target} with {@code args} (found by name and argument count: the
     * container methods zc calls are not overloaded that way); exceptions of the method itself are rethrown as they
     * are.
     */
    public static Object call(Object target, String name, Object... args) throws Throwable {
        Method m = (Method) member(target.getClass(), name + "/" + args.length, false);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Calls the method {@code name} declared with exactly the parameter types {@code types}. */
    public static Object callExact(Object target, String name, Class<?>[] types, Object... args) throws Throwable {
        Method m = method(target, name, types);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The method {@code name} of {@code target}'s class with exactly the parameter types {@code types}. */
    public static Method method(Object target, String name, Class<?>[] types) throws ReflectiveOperationException {
        String key = name + java.util.Arrays.toString(types);
        Map<String, AccessibleObject> members = CACHE.get(target.getClass());
        Method m = (Method) members.get(key);
        if (m == null) {
            m = findExact(target.getClass(), name, types);
            m.setAccessible(true);
            members.put(key, m);
        }
        return m;
    }

    /** A field found and made accessible by {@link #slot}: its reads and writes cannot fail on access after that. */
    public record Slot(Field field) {
        public Object get(Object owner) {
            try {
                return field.get(owner);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e); // made accessible when found
            }
        }

        public boolean bool(Object owner) {
            return (Boolean) get(owner);
        }

        public long num(Object owner) {
            return (Long) get(owner);
        }

        public void set(Object owner, long value) {
            try {
                field.setLong(owner, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Method findExact(Class<?> type, String name, Class<?>[] types) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(name, types);
            } catch (NoSuchMethodException e) {
                // declared further up
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name + java.util.Arrays.toString(types));
    }

    private static AccessibleObject member(Class<?> type, String key, boolean field)
            throws ReflectiveOperationException {
        Map<String, AccessibleObject> members = CACHE.get(type);
        AccessibleObject found = members.get(key);
        if (found == null) {
            found = field ? findField(type, key) : findMethod(type, key);
            found.setAccessible(true);
            members.put(key, found);
        }
        return found;
    }

    private static Field findField(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return f;
                }
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private static Method findMethod(Class<?> type, String key) throws NoSuchMethodException {
        String name = key.substring(0, key.indexOf('/'));
        int arity = Integer.parseInt(key.substring(key.indexOf('/') + 1));
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == arity && !m.isBridge()) {
                    return m;
                }
            }
        }
        for (Method m : type.getMethods()) { // an interface's default method
            if (m.getName().equals(name) && m.getParameterCount() == arity) {
                return m;
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name + " with " + arity + " arguments");
    }
}
