package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The corp's directory in the sandbox's state (members, departments, tags), read by every API area:
 * contacts write it, messages, chats, calendars, school and customer contact look people and
 * departments up in it.
 */
final class Directory {
    static final String USERS = "users";
    static final String DEPARTMENTS = "departments";
    static final String TAGS = "tags";

    private Directory() {}

    static String key(String userid) {
        return userid.toLowerCase(Locale.ROOT);
    }

    static ObjectNode user(SandboxState state, String userid) {
        ObjectNode user = state.find(USERS, key(userid));
        if (user == null) {
            throw new WeComError(60111, "userid not found");
        }
        return user;
    }

    static ObjectNode department(SandboxState state, long id) {
        ObjectNode department = state.find(DEPARTMENTS, Long.toString(id));
        if (department == null) {
            throw new WeComError(60003, "department not found");
        }
        return department;
    }

    static boolean userExists(SandboxState state, String userid) {
        return state.find(USERS, key(userid)) != null;
    }

    static Set<Long> descendants(SandboxState state, long id) {
        Set<Long> out = new LinkedHashSet<>();
        for (ObjectNode d : state.collection(DEPARTMENTS).values()) {
            if (d.path("parentid").asLong() == id && d.get("id").asLong() != id) {
                long child = d.get("id").asLong();
                out.add(child);
                out.addAll(descendants(state, child));
            }
        }
        return out;
    }
}
