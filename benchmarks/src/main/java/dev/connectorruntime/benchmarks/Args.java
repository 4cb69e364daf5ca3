package dev.connectorruntime.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code --name value} pairs (and bare {@code --flag}s, as "true"). */
final class Args {
    private Args() {}

    static Map<String, String> parse(String[] args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                map.put(name, args[++i]);
            } else {
                map.put(name, "true");
            }
        }
        return map;
    }
}
