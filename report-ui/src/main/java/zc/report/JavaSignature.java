package zc.report;

/**
 * A JVM method descriptor as a Java programmer writes the method: {@code serve(Ljava/net/Socket;Ljava/io/File;)V}
 * becomes {@code serve(Socket, File)}, {@code <init>} the class's simple name, nested classes {@code Outer.Inner}.
 * Anything that is not a descriptor is returned as it is.
 */
public final class JavaSignature {
    private JavaSignature() {
    }

    /** @param method name and descriptor, e.g. {@code copy([BI)J}; {@code className} names constructors */
    public static String of(String className, String method) {
        int open = method.indexOf('(');
        int close = method.indexOf(')', open + 1);
        if (open <= 0 || close < 0) {
            return method;
        }
        String name = method.substring(0, open);
        if (name.equals("<init>")) {
            name = simple(className);
        }
        StringBuilder b = new StringBuilder(name).append('(');
        int i = open + 1;
        boolean first = true;
        while (i < close) {
            int dims = 0;
            while (method.charAt(i) == '[') {
                dims++;
                i++;
            }
            String type;
            char c = method.charAt(i);
            if (c == 'L') {
                int end = method.indexOf(';', i);
                if (end < 0 || end > close) {
                    return method;
                }
                type = simple(method.substring(i + 1, end));
                i = end + 1;
            } else {
                type = primitive(c);
                if (type == null) {
                    return method;
                }
                i++;
            }
            b.append(first ? "" : ", ").append(type).append("[]".repeat(dims));
            first = false;
        }
        return b.append(')').toString();
    }

    private static String simple(String binaryName) {
        String s = binaryName.substring(Math.max(binaryName.lastIndexOf('/'), binaryName.lastIndexOf('.')) + 1);
        return s.replace('$', '.');
    }

    private static String primitive(char c) {
        return switch (c) {
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'D' -> "double";
            case 'F' -> "float";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'S' -> "short";
            case 'Z' -> "boolean";
            default -> null;
        };
    }
}
