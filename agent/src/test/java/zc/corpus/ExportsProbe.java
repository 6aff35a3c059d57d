package zc.corpus;

/**
 * What the class path may reach of java.base's internals: prints, for the class path's module (the system class
 * loader's unnamed module), whether java.base exports or opens each package zc uses for its own code.
 */
public final class ExportsProbe {
    private ExportsProbe() {
    }

    public static void main(String[] args) {
        Module base = Object.class.getModule();
        Module classPath = ClassLoader.getSystemClassLoader().getUnnamedModule();
        StringBuilder out = new StringBuilder("class path reaches:");
        for (String p : new String[] {"jdk.internal.misc", "jdk.internal.loader", "java.lang", "java.io", "sun.nio.ch"}) {
            if (base.isOpen(p, classPath)) {
                out.append(' ').append(p).append("(open)");
            } else if (base.isExported(p, classPath) && !base.isExported(p)) {
                out.append(' ').append(p).append("(exported)");
            }
        }
        System.out.println(out);
    }
}
