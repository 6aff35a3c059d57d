package zc.proc;

import java.util.HashMap;
import java.util.Map;

/** The {@code key: value} line format shared by {@code /proc/PID/io} and {@code /proc/PID/status}. */
final class KeyValues {
    private final Map<String, String> values;

    private KeyValues(Map<String, String> values) {
        this.values = values;
    }

    static KeyValues parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return new KeyValues(values);
    }

    long require(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no '" + key + "' line");
        }
        return firstNumber(key, value);
    }

    long orZero(String key) {
        String value = values.get(key);
        return value == null ? 0 : firstNumber(key, value);
    }

    private static long firstNumber(String key, String value) {
        int end = value.indexOf(' ');
        String number = end < 0 ? value : value.substring(0, end);
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not a number: " + value, e);
        }
    }
}
