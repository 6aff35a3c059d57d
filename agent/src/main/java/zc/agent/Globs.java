package zc.agent;

/** Class-name globs: '*' matches any run of characters (dots included), everything else itself. */
final class Globs {
    private Globs() {
    }

    static boolean matches(String glob, String name) {
        return matches(glob, 0, name, 0);
    }

    static boolean matchesAny(java.util.List<String> globs, String name) {
        for (String g : globs) {
            if (matches(g, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String g, int gi, String s, int si) {
        while (gi < g.length()) {
            char c = g.charAt(gi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (matches(g, gi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || s.charAt(si) != c) {
                return false;
            }
            gi++;
            si++;
        }
        return si == s.length();
    }
}
