package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.read;
import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** 通讯录: members, departments and tags. Userids are case-insensitive, as in WeCom. */
final class ContactModule implements SandboxModule {
    static final String USERS = "users";
    static final String DEPARTMENTS = "departments";
    static final String TAGS = "tags";

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        seed.path("departments").forEach(d -> state.collection(DEPARTMENTS).put(d.get("id").asText(), ((ObjectNode) d).deepCopy()));
        seed.path("users").forEach(u -> state.collection(USERS).put(key(u.get("userid").asText()), ((ObjectNode) u).deepCopy()));
        seed.path("tags").forEach(t -> state.collection(TAGS).put(t.get("tagid").asText(), ((ObjectNode) t).deepCopy()));
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.ofEntries(
                Map.entry("/cgi-bin/user/get", read("GET", ContactModule::userGet)),
                Map.entry("/cgi-bin/user/create", write("POST", ContactModule::userCreate)),
                Map.entry("/cgi-bin/user/update", write("POST", ContactModule::userUpdate)),
                Map.entry("/cgi-bin/user/delete", write("GET", ContactModule::userDelete)),
                Map.entry("/cgi-bin/user/simplelist", read("GET", (r, s) -> userList(r, s, true))),
                Map.entry("/cgi-bin/department/create", write("POST", ContactModule::departmentCreate)),
                Map.entry("/cgi-bin/department/list", read("GET", ContactModule::departmentList)),
                Map.entry("/cgi-bin/tag/create", write("POST", ContactModule::tagCreate)),
                Map.entry("/cgi-bin/tag/addtagusers", write("POST", ContactModule::tagAddUsers)),
                Map.entry("/cgi-bin/tag/get", read("GET", ContactModule::tagGet)));
    }

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

    private static ObjectNode userGet(SandboxRequest request, SandboxState state) {
        ObjectNode out = user(state, request.required("userid")).deepCopy();
        out.remove("enable");
        return out;
    }

    private static ObjectNode userCreate(SandboxRequest request, SandboxState state) {
        String userid = request.required("userid");
        if (userExists(state, userid)) {
            throw new WeComError(60102, "userid existed");
        }
        request.required("name");
        if (request.param("mobile") == null && request.param("email") == null) {
            throw new WeComError(60129, "missing mobile or email");
        }
        String mobile = request.param("mobile");
        if (mobile != null && state.collection(USERS).values().stream().anyMatch(u -> mobile.equals(u.path("mobile").asText()))) {
            throw new WeComError(60104, "mobile existed");
        }
        ArrayNode departments = request.body().has("department") ? (ArrayNode) request.field("department").deepCopy() : Json.array().add(1);
        departments.forEach(d -> department(state, d.asLong()));
        ObjectNode user = Json.object();
        Json.merge(user, request.body(), "to_invite");
        user.set("department", departments);
        user.put("status", 4);
        state.collection(USERS).put(key(userid), user);
        return Json.object().put("created_userid", userid);
    }

    private static ObjectNode userUpdate(SandboxRequest request, SandboxState state) {
        ObjectNode user = user(state, request.required("userid"));
        if (request.body().has("department")) {
            request.field("department").forEach(d -> department(state, d.asLong()));
        }
        String newUserid = request.param("new_userid");
        Json.merge(user, request.body(), "userid", "new_userid");
        if (newUserid != null && !newUserid.isEmpty()) {
            if (userExists(state, newUserid)) {
                throw new WeComError(60102, "userid existed");
            }
            state.collection(USERS).remove(key(user.get("userid").asText()));
            user.put("userid", newUserid);
            state.collection(USERS).put(key(newUserid), user);
        }
        return Json.object();
    }

    private static ObjectNode userDelete(SandboxRequest request, SandboxState state) {
        String userid = request.required("userid");
        user(state, userid);
        state.collection(USERS).remove(key(userid));
        state.collection(TAGS).values().forEach(t -> removeText((ArrayNode) t.withArray("userlist"), userid));
        return Json.object();
    }

    static ObjectNode userList(SandboxRequest request, SandboxState state, boolean simple) {
        long departmentId = Long.parseLong(request.required("department_id"));
        department(state, departmentId);
        Set<Long> departments = new LinkedHashSet<>(List.of(departmentId));
        if ("1".equals(request.param("fetch_child"))) {
            departments.addAll(descendants(state, departmentId));
        }
        ArrayNode list = Json.array();
        for (ObjectNode user : state.collection(USERS).values()) {
            boolean member = false;
            for (JsonNode d : user.path("department")) {
                member |= departments.contains(d.asLong());
            }
            if (!member) {
                continue;
            }
            if (simple) {
                ObjectNode item = list.addObject();
                item.put("userid", user.get("userid").asText());
                item.put("name", user.path("name").asText());
                item.set("department", user.path("department").deepCopy());
                item.put("open_userid", "wo_" + user.get("userid").asText());
            } else {
                ObjectNode item = user.deepCopy();
                item.remove("enable");
                list.add(item);
            }
        }
        ObjectNode out = Json.object();
        out.set("userlist", list);
        return out;
    }

    static Set<Long> descendants(SandboxState state, long id) {
        Set<Long> out = new LinkedHashSet<>();
        for (ObjectNode d : state.collection(DEPARTMENTS).values()) {
            if (d.path("parentid").asLong() == id) {
                long child = d.get("id").asLong();
                out.add(child);
                out.addAll(descendants(state, child));
            }
        }
        return out;
    }

    private static ObjectNode departmentCreate(SandboxRequest request, SandboxState state) {
        String name = request.required("name");
        long parent = Long.parseLong(request.required("parentid"));
        department(state, parent);
        boolean duplicateName = state.collection(DEPARTMENTS).values().stream()
                .anyMatch(d -> d.path("parentid").asLong() == parent && name.equals(d.path("name").asText()));
        if (duplicateName) {
            throw new WeComError(60008, "department existed");
        }
        long id = request.param("id") != null ? Long.parseLong(request.param("id")) : nextDepartmentId(state);
        if (state.find(DEPARTMENTS, Long.toString(id)) != null) {
            throw new WeComError(60008, "department existed");
        }
        ObjectNode department = Json.object();
        Json.merge(department, request.body());
        department.put("id", id);
        department.put("parentid", parent);
        if (!department.has("order")) {
            department.put("order", 0);
        }
        department.set("department_leader", Json.array());
        state.collection(DEPARTMENTS).put(Long.toString(id), department);
        return Json.object().put("id", id);
    }

    private static long nextDepartmentId(SandboxState state) {
        return state.collection(DEPARTMENTS).keySet().stream().mapToLong(Long::parseLong).max().orElse(1) + 1;
    }

    private static ObjectNode departmentList(SandboxRequest request, SandboxState state) {
        ArrayNode list = Json.array();
        String id = request.param("id");
        if (id == null || id.isEmpty()) {
            state.collection(DEPARTMENTS).values().forEach(d -> list.add(d.deepCopy()));
        } else {
            long root = Long.parseLong(id);
            list.add(department(state, root).deepCopy());
            descendants(state, root).forEach(d -> list.add(department(state, d).deepCopy()));
        }
        ObjectNode out = Json.object();
        out.set("department", list);
        return out;
    }

    static ObjectNode tag(SandboxState state, String tagid) {
        ObjectNode tag = state.find(TAGS, tagid);
        if (tag == null) {
            throw new WeComError(40068, "invalid tagid");
        }
        return tag;
    }

    private static ObjectNode tagCreate(SandboxRequest request, SandboxState state) {
        String name = request.required("tagname");
        if (state.collection(TAGS).values().stream().anyMatch(t -> name.equals(t.path("tagname").asText()))) {
            throw new WeComError(40071, "UserTag Name Already Exist");
        }
        String requested = request.param("tagid");
        long id = requested != null ? Long.parseLong(requested)
                : state.collection(TAGS).keySet().stream().mapToLong(Long::parseLong).max().orElse(0) + 1;
        if (state.find(TAGS, Long.toString(id)) != null) {
            throw new WeComError(40071, "UserTag ID Already Exist");
        }
        ObjectNode tag = Json.object().put("tagid", id).put("tagname", name);
        tag.set("userlist", Json.array());
        tag.set("partylist", Json.array());
        state.collection(TAGS).put(Long.toString(id), tag);
        return Json.object().put("tagid", id);
    }

    private static ObjectNode tagAddUsers(SandboxRequest request, SandboxState state) {
        ObjectNode tag = tag(state, request.required("tagid"));
        ArrayNode invalidUsers = Json.array();
        ArrayNode invalidParties = Json.array();
        int valid = 0;
        for (String userid : Json.texts(request.field("userlist"))) {
            if (userExists(state, userid)) {
                addText(tag.withArray("userlist"), user(state, userid).get("userid").asText());
                valid++;
            } else {
                invalidUsers.add(userid);
            }
        }
        for (JsonNode party : request.field("partylist")) {
            if (state.find(DEPARTMENTS, party.asText()) != null) {
                addNumber(tag.withArray("partylist"), party.asLong());
                valid++;
            } else {
                invalidParties.add(party.asLong());
            }
        }
        if (valid == 0) {
            throw new WeComError(40070, "all of the users or departments are invalid");
        }
        ObjectNode out = Json.object();
        if (!invalidUsers.isEmpty()) {
            out.put("invalidlist", String.join("|", Json.texts(invalidUsers)));
        }
        if (!invalidParties.isEmpty()) {
            out.set("invalidparty", invalidParties);
        }
        return out;
    }

    private static ObjectNode tagGet(SandboxRequest request, SandboxState state) {
        ObjectNode tag = tag(state, request.required("tagid"));
        ObjectNode out = Json.object().put("tagname", tag.get("tagname").asText());
        ArrayNode users = out.putArray("userlist");
        for (String userid : Json.texts(tag.get("userlist"))) {
            ObjectNode user = state.find(USERS, key(userid));
            if (user != null) {
                users.addObject().put("userid", user.get("userid").asText()).put("name", user.path("name").asText());
            }
        }
        out.set("partylist", tag.path("partylist").deepCopy());
        return out;
    }

    static void addText(ArrayNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equalsIgnoreCase(value)) {
                return;
            }
        }
        array.add(value);
    }

    static void addNumber(ArrayNode array, long value) {
        for (JsonNode v : array) {
            if (v.asLong() == value) {
                return;
            }
        }
        array.add(value);
    }

    static void removeText(ArrayNode array, String value) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (array.get(i).asText().equalsIgnoreCase(value)) {
                array.remove(i);
            }
        }
    }
}
