package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.read;
import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 家校沟通: the home-school directory (departments typed 1 班级, 2 年级, 3 学段, 4 校区, 5 学校;
 * students; parents), the 学校通知 subscription (QR code, subscribe mode), the app's parent allow
 * scope, 学校通知 messages, and external_userid to openid conversion.
 *
 * <p>Parents are derived from the seeded students' parent lists; userids are case-insensitive. The
 * school endpoints take a token of the school secret or of an app (48002 otherwise) and only the
 * seeded agentid (40056 otherwise). A 学校通知 reaches only students, and parents of students, inside
 * the allow scope (listed in students.userid, or in a department of departments.partyid or below it);
 * other recipients come back in the invalid_* lists, and 81013 when none is left. Sent notices are
 * kept in {@link #NOTICES} with their resolved recipients; with enable_duplicate_check=1 a request
 * JSON equal to one sent within duplicate_check_interval is accepted but not delivered (kept) again.
 * Openids are known for the parents' external_userids and the external contacts of the
 * "externalcontact" seed.
 */
final class SchoolModule implements SandboxModule {
    static final String DEPARTMENTS = "schoolDepartments";
    static final String STUDENTS = "schoolStudents";
    static final String PARENTS = "schoolParents";
    static final String NOTICES = "schoolNotices";
    static final String OPENIDS = "wechatOpenids";
    static final String SUBSCRIBE_MODE = "school.subscribeMode";
    static final String ALLOW_SCOPE = "school.allowScope";
    static final String AGENT_ID = "school.agentId";
    static final String MINIPROGRAMS = "school.miniprogramAppids";
    private static final Set<String> SCHOOL_SECRETS = Set.of("school", "app");
    private static final Set<String> MSGTYPES = Set.of("text", "image", "voice", "video", "file", "news", "mpnews", "miniprogram");
    private static final int TEXT_MAX_BYTES = 2048;
    private static final int MPNEWS_MAX_BYTES = 666 * 1024;
    private static final int MAX_ARTICLES = 8;
    private static final int MAX_USERIDS = 1000;
    private static final int MAX_PARTIES = 100;
    private static final int DEFAULT_DUPLICATE_INTERVAL = 1800;
    private static final int MAX_DUPLICATE_INTERVAL = 14400;
    private static final String QRCODE_URL = "https://wework.qpic.cn/wwpic/sandbox_school_subscribe/";

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        JsonNode school = seed.path("school");
        school.path("departments").forEach(d -> state.collection(DEPARTMENTS).put(d.get("id").asText(), ((ObjectNode) d).deepCopy()));
        school.path("students").forEach(s -> seedStudent(state, s));
        state.put(SUBSCRIBE_MODE, school.path("subscribeMode").asInt(1));
        state.put(ALLOW_SCOPE, seededAllowScope(school.path("allowScope")));
        state.put(AGENT_ID, seed.path("agentId").asLong());
        state.put(MINIPROGRAMS, Set.copyOf(Json.texts(school.path("miniprogramAppids"))));
        seedOpenids(state, seed);
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.ofEntries(
                Map.entry("/cgi-bin/externalcontact/message/send", write("POST", schoolApp(SchoolModule::sendNotice))),
                Map.entry("/cgi-bin/externalcontact/get_subscribe_qr_code", read("GET", schoolApp(SchoolModule::subscribeQrCode))),
                Map.entry("/cgi-bin/externalcontact/set_subscribe_mode", write("POST", schoolApp(SchoolModule::setSubscribeMode))),
                Map.entry("/cgi-bin/externalcontact/get_subscribe_mode", read("GET", schoolApp(SchoolModule::subscribeMode))),
                Map.entry("/cgi-bin/externalcontact/convert_to_openid", read("POST", SchoolModule::convertToOpenid)),
                Map.entry("/cgi-bin/school/agent/get_allow_scope", read("GET", schoolApp(SchoolModule::allowScope))),
                Map.entry("/cgi-bin/school/user/get", read("GET", schoolApp(SchoolModule::userGet))),
                Map.entry("/cgi-bin/school/user/list", read("GET", schoolApp(SchoolModule::studentList))),
                Map.entry("/cgi-bin/school/user/list_parent", read("GET", schoolApp(SchoolModule::parentList))),
                Map.entry("/cgi-bin/school/department/list", read("GET", schoolApp(SchoolModule::departmentList))));
    }

    private static void seedStudent(SandboxState state, JsonNode seeded) {
        String studentId = seeded.get("student_userid").asText();
        ObjectNode student = Json.object().put("student_userid", studentId).put("name", seeded.path("name").asText());
        student.set("department", seeded.has("department") ? seeded.get("department").deepCopy() : Json.array());
        ArrayNode links = student.putArray("parents");
        for (JsonNode seededParent : seeded.path("parents")) {
            String parentId = seededParent.get("parent_userid").asText();
            String relation = seededParent.path("relation").asText();
            ObjectNode parent = state.collection(PARENTS).computeIfAbsent(Directory.key(parentId), k -> seededParent(seededParent));
            ((ArrayNode) parent.get("children")).addObject().put("student_userid", studentId).put("relation", relation);
            links.addObject().put("parent_userid", parentId).put("relation", relation);
        }
        state.collection(STUDENTS).put(Directory.key(studentId), student);
    }

    private static ObjectNode seededParent(JsonNode seeded) {
        ObjectNode parent = Json.object();
        Json.merge(parent, seeded, "relation");
        parent.put("is_subscribe", seeded.path("is_subscribe").asInt(0));
        parent.putArray("children");
        return parent;
    }

    private static ObjectNode seededAllowScope(JsonNode seeded) {
        ObjectNode scope = Json.object();
        scope.putObject("students").set("userid", Json.array(Json.texts(seeded.path("students").path("userid"))));
        ArrayNode parties = scope.putObject("departments").putArray("partyid");
        seeded.path("departments").path("partyid").forEach(p -> parties.add(p.asLong()));
        return scope;
    }

    private static void seedOpenids(SandboxState state, JsonNode seed) {
        Set<String> externalUserids = new LinkedHashSet<>();
        state.collection(PARENTS).values().forEach(p -> collectExternalUserids(p, externalUserids));
        collectExternalUserids(seed.path("externalcontact"), externalUserids);
        String corpId = seed.path("corpId").asText();
        for (String id : externalUserids) {
            state.collection(OPENIDS).put(id, Json.object().put("external_userid", id).put("openid", openid(corpId, id)));
        }
    }

    private static void collectExternalUserids(JsonNode node, Set<String> out) {
        if (node.path("external_userid").isTextual()) {
            out.add(node.get("external_userid").asText());
        }
        for (JsonNode member : node.path("member_list")) {
            if (member.path("type").asInt() == 2 && member.path("userid").isTextual()) {
                out.add(member.get("userid").asText());
            }
        }
        node.forEach(child -> collectExternalUserids(child, out));
    }

    private static String openid(String corpId, String externalUserid) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((corpId + "\n" + externalUserid).getBytes(StandardCharsets.UTF_8));
            return "o" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Route schoolApp(Route route) {
        return Route.forSecrets(SCHOOL_SECRETS, "home-school APIs need the school secret's or a school app's access_token", route);
    }

    private static ObjectNode subscribeQrCode(SandboxRequest request, SandboxState state) {
        return Json.object()
                .put("qrcode_big", QRCODE_URL + "1200")
                .put("qrcode_middle", QRCODE_URL + "430")
                .put("qrcode_thumb", QRCODE_URL + "258");
    }

    private static ObjectNode setSubscribeMode(SandboxRequest request, SandboxState state) {
        long mode = number(request.required("subscribe_mode"), "subscribe_mode");
        if (mode != 1 && mode != 2) {
            throw new WeComError(40058, "invalid subscribe_mode " + mode + ", use 1 or 2");
        }
        state.put(SUBSCRIBE_MODE, (int) mode);
        return Json.object();
    }

    private static ObjectNode subscribeMode(SandboxRequest request, SandboxState state) {
        return Json.object().put("subscribe_mode", state.get(SUBSCRIBE_MODE, 1));
    }

    private static ObjectNode convertToOpenid(SandboxRequest request, SandboxState state) {
        String externalUserid = request.required("external_userid");
        if (externalUserid.startsWith("wo")) {
            throw new WeComError(40096, "invalid external_userid: WeCom (wo...) external contacts have no openid");
        }
        ObjectNode known = state.find(OPENIDS, externalUserid);
        if (known == null) {
            throw new WeComError(40096, "invalid external_userid " + externalUserid);
        }
        return Json.object().put("openid", known.get("openid").asText());
    }

    private static ObjectNode allowScope(SandboxRequest request, SandboxState state) {
        checkAgent(request, state);
        ObjectNode out = Json.object();
        out.set("allow_scope", scope(state).deepCopy());
        return out;
    }

    private static ObjectNode userGet(SandboxRequest request, SandboxState state) {
        String userid = request.required("userid");
        ObjectNode out = Json.object();
        ObjectNode student = state.find(STUDENTS, Directory.key(userid));
        if (student != null) {
            out.put("user_type", 1);
            out.set("student", studentView(state, student));
            return out;
        }
        ObjectNode parent = state.find(PARENTS, Directory.key(userid));
        if (parent != null) {
            out.put("user_type", 2);
            out.set("parent", parentView(state, parent, false));
            return out;
        }
        throw new WeComError(60136, "no home-school record for userid " + userid);
    }

    private static ObjectNode studentList(SandboxRequest request, SandboxState state) {
        long departmentId = existingDepartment(state, request.required("department_id"));
        ArrayNode students = Json.array();
        for (ObjectNode student : state.collection(STUDENTS).values()) {
            if (inDepartment(student, departmentId)) {
                students.add(studentView(state, student));
            }
        }
        ObjectNode out = Json.object();
        out.set("students", students);
        return out;
    }

    private static ObjectNode parentList(SandboxRequest request, SandboxState state) {
        long departmentId = existingDepartment(state, request.required("department_id"));
        ArrayNode parents = Json.array();
        for (ObjectNode parent : state.collection(PARENTS).values()) {
            if (children(state, parent).stream().anyMatch(child -> inDepartment(child, departmentId))) {
                parents.add(parentView(state, parent, true));
            }
        }
        ObjectNode out = Json.object();
        out.set("parents", parents);
        return out;
    }

    private static ObjectNode departmentList(SandboxRequest request, SandboxState state) {
        String id = request.param("id");
        ArrayNode departments = Json.array();
        if (id == null || id.isEmpty()) {
            state.collection(DEPARTMENTS).values().forEach(d -> departments.add(d.deepCopy()));
        } else {
            subtree(state, existingDepartment(state, id)).forEach(d -> departments.add(state.find(DEPARTMENTS, Long.toString(d)).deepCopy()));
        }
        ObjectNode out = Json.object();
        out.set("departments", departments);
        return out;
    }

    private static ObjectNode sendNotice(SandboxRequest request, SandboxState state) {
        String msgtype = request.required("msgtype");
        if (!MSGTYPES.contains(msgtype) || !request.field(msgtype).isObject()) {
            throw new WeComError(40008, "invalid message type " + msgtype + ": the body needs a \"" + msgtype + "\" object");
        }
        checkAgent(request, state);
        checkContent(state, msgtype, request.field(msgtype));
        long recvScope = optionalNumber(request, "recv_scope", 0);
        if (recvScope < 0 || recvScope > 2) {
            throw new WeComError(40058, "invalid recv_scope " + recvScope + ", use 0, 1 or 2");
        }
        long interval = duplicateCheckInterval(request);
        Recipients to = new Recipients(recvScope != 1, recvScope != 0);
        ObjectNode out = Json.object();
        int valid = addParents(state, to, recipientList(request, "to_parent_userid", MAX_USERIDS), out.putArray("invalid_parent_userid"));
        valid += addStudents(state, to, recipientList(request, "to_student_userid", MAX_USERIDS), out.putArray("invalid_student_userid"));
        valid += addParties(state, to, recipientList(request, "to_party", MAX_PARTIES), out.putArray("invalid_party"));
        if (optionalNumber(request, "toall", 0) == 1) {
            valid++;
            state.collection(STUDENTS).values().stream().filter(s -> inScope(state, s)).forEach(s -> to.addStudent(state, s));
        }
        if (request.body().has("to_external_user")) {
            valid += addExternalUsers(state, to, recipientList(request, "to_external_user", MAX_USERIDS), out.putArray("invalid_external_user"));
        }
        if (valid == 0) {
            throw new WeComError(81013, "parent & student & party all invalid");
        }
        long now = Instant.now().getEpochSecond();
        if (!isDuplicate(state, request.body(), now - interval)) {
            keepNotice(state, request.body(), to, now);
        }
        return out;
    }

    private static void checkAgent(SandboxRequest request, SandboxState state) {
        long agentid = number(request.required("agentid"), "agentid");
        if (agentid != state.get(AGENT_ID, 0L)) {
            if ("app".equals(request.secretKind())) {
                // an app's token may only send as that app
                throw new WeComError(301002, "not allow operate another agent with this accesstoken");
            }
            throw new WeComError(40056, "invalid agentid " + agentid);
        }
    }

    private static void checkContent(SandboxState state, String msgtype, JsonNode content) {
        switch (msgtype) {
            case "text" -> checkText(content);
            case "news" -> articles(content).forEach(a -> {
                requiredText(a, "title");
                requiredText(a, "url");
            });
            case "mpnews" -> articles(content).forEach(a -> {
                requiredText(a, "title");
                requiredText(a, "thumb_media_id");
                checkSize(requiredText(a, "content"), MPNEWS_MAX_BYTES);
            });
            case "miniprogram" -> checkMiniprogram(state, content);
            default -> requiredText(content, "media_id");
        }
    }

    private static void checkText(JsonNode text) {
        String content = text.path("content").asText("");
        if (content.isEmpty()) {
            throw new WeComError(44004, "empty content");
        }
        checkSize(content, TEXT_MAX_BYTES);
    }

    private static void checkSize(String content, int maxBytes) {
        if (content.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new WeComError(45002, "content size out of limit: at most " + maxBytes + " bytes");
        }
    }

    private static List<JsonNode> articles(JsonNode content) {
        JsonNode articles = content.path("articles");
        if (!articles.isArray() || articles.isEmpty()) {
            throw WeComError.missing("articles");
        }
        if (articles.size() > MAX_ARTICLES) {
            throw new WeComError(45008, "article size out of limit: at most " + MAX_ARTICLES);
        }
        List<JsonNode> out = new ArrayList<>();
        articles.forEach(out::add);
        return out;
    }

    private static void checkMiniprogram(SandboxState state, JsonNode miniprogram) {
        String appid = requiredText(miniprogram, "appid");
        requiredText(miniprogram, "thumb_media_id");
        requiredText(miniprogram, "pagepath");
        if (!state.get(MINIPROGRAMS, Set.<String>of()).contains(appid)) {
            throw new WeComError(90208, "invalid miniprogram appid " + appid + ": not linked to the corp");
        }
    }

    private static String requiredText(JsonNode object, String field) {
        String value = object.path(field).asText("");
        if (value.isEmpty()) {
            throw WeComError.missing(field);
        }
        return value;
    }

    private static long duplicateCheckInterval(SandboxRequest request) {
        if (optionalNumber(request, "enable_duplicate_check", 0) != 1) {
            return 0;
        }
        long interval = optionalNumber(request, "duplicate_check_interval", DEFAULT_DUPLICATE_INTERVAL);
        if (interval < 0 || interval > MAX_DUPLICATE_INTERVAL) {
            throw new WeComError(40058, "invalid duplicate_check_interval " + interval + ", at most " + MAX_DUPLICATE_INTERVAL + " seconds");
        }
        return interval;
    }

    private static List<String> recipientList(SandboxRequest request, String name, int max) {
        JsonNode list = request.field(name);
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new WeComError(40035, "invalid " + name + ": not an array");
        }
        if (list.size() > max) {
            throw new WeComError(40035, "invalid " + name + ": at most " + max + " items");
        }
        return Json.texts(list);
    }

    private static int addParents(SandboxState state, Recipients to, List<String> ids, ArrayNode invalid) {
        if (!to.parents) {
            return 0;
        }
        int valid = 0;
        for (String id : ids) {
            ObjectNode parent = state.find(PARENTS, Directory.key(id));
            if (parent != null && parentInScope(state, parent)) {
                to.addParent(parent);
                valid++;
            } else {
                invalid.add(id);
            }
        }
        return valid;
    }

    private static int addStudents(SandboxState state, Recipients to, List<String> ids, ArrayNode invalid) {
        int valid = 0;
        for (String id : ids) {
            ObjectNode student = state.find(STUDENTS, Directory.key(id));
            if (student != null && inScope(state, student)) {
                to.addStudent(state, student);
                valid++;
            } else {
                invalid.add(id);
            }
        }
        return valid;
    }

    private static int addParties(SandboxState state, Recipients to, List<String> ids, ArrayNode invalid) {
        Set<Long> scoped = scopedDepartments(state);
        int valid = 0;
        for (String id : ids) {
            Long departmentId = departmentId(state, id);
            if (departmentId == null) {
                invalid.add(id);
                continue;
            }
            Set<Long> departments = subtree(state, departmentId);
            List<ObjectNode> members = state.collection(STUDENTS).values().stream()
                    .filter(s -> inScope(state, s) && Json.texts(s.get("department")).stream().anyMatch(d -> departments.contains(Long.parseLong(d))))
                    .toList();
            if (members.isEmpty() && !scoped.contains(departmentId)) {
                invalid.add(id);
                continue;
            }
            members.forEach(s -> to.addStudent(state, s));
            valid++;
        }
        return valid;
    }

    private static int addExternalUsers(SandboxState state, Recipients to, List<String> ids, ArrayNode invalid) {
        int valid = 0;
        for (String id : ids) {
            ObjectNode parent = state.collection(PARENTS).values().stream()
                    .filter(p -> subscribed(p) && id.equals(p.path("external_userid").asText()) && parentInScope(state, p))
                    .findFirst().orElse(null);
            if (parent == null) {
                invalid.add(id);
            } else {
                to.addParent(parent);
                valid++;
            }
        }
        return valid;
    }

    private static boolean isDuplicate(SandboxState state, ObjectNode body, long since) {
        return state.collection(NOTICES).values().stream()
                .anyMatch(n -> n.get("sent_at").asLong() > since && n.get("request").equals(body));
    }

    private static void keepNotice(SandboxState state, ObjectNode body, Recipients to, long now) {
        String id = state.nextId("school_notice_");
        ObjectNode notice = Json.object().put("id", id).put("sent_at", now);
        notice.set("request", body.deepCopy());
        ObjectNode recipients = notice.putObject("recipients");
        recipients.set("parents", Json.array(to.parentIds));
        recipients.set("students", Json.array(to.studentIds));
        state.collection(NOTICES).put(id, notice);
    }

    private static ObjectNode scope(SandboxState state) {
        return state.get(ALLOW_SCOPE, seededAllowScope(Json.object()));
    }

    private static Set<Long> scopedDepartments(SandboxState state) {
        Set<Long> out = new LinkedHashSet<>();
        scope(state).path("departments").path("partyid").forEach(p -> out.addAll(subtree(state, p.asLong())));
        return out;
    }

    private static boolean inScope(SandboxState state, ObjectNode student) {
        String studentId = student.get("student_userid").asText();
        if (Json.texts(scope(state).path("students").path("userid")).stream().anyMatch(studentId::equalsIgnoreCase)) {
            return true;
        }
        Set<Long> scoped = scopedDepartments(state);
        return Json.texts(student.get("department")).stream().anyMatch(d -> scoped.contains(Long.parseLong(d)));
    }

    private static boolean parentInScope(SandboxState state, ObjectNode parent) {
        return children(state, parent).stream().anyMatch(child -> inScope(state, child));
    }

    private static List<ObjectNode> children(SandboxState state, ObjectNode parent) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode link : parent.path("children")) {
            ObjectNode student = state.find(STUDENTS, Directory.key(link.get("student_userid").asText()));
            if (student != null) {
                out.add(student);
            }
        }
        return out;
    }

    private static boolean inDepartment(ObjectNode student, long departmentId) {
        for (JsonNode d : student.path("department")) {
            if (d.asLong() == departmentId) {
                return true;
            }
        }
        return false;
    }

    private static boolean subscribed(ObjectNode parent) {
        return parent.path("is_subscribe").asInt() == 1;
    }

    private static ObjectNode studentView(SandboxState state, ObjectNode student) {
        ObjectNode out = Json.object()
                .put("student_userid", student.get("student_userid").asText())
                .put("name", student.path("name").asText());
        out.set("department", student.get("department").deepCopy());
        ArrayNode parents = out.putArray("parents");
        for (JsonNode link : student.path("parents")) {
            ObjectNode parent = state.find(PARENTS, Directory.key(link.get("parent_userid").asText()));
            ObjectNode item = parents.addObject()
                    .put("parent_userid", parent.get("parent_userid").asText())
                    .put("relation", link.path("relation").asText());
            putContact(item, parent);
        }
        return out;
    }

    private static ObjectNode parentView(SandboxState state, ObjectNode parent, boolean childNames) {
        ObjectNode out = Json.object().put("parent_userid", parent.get("parent_userid").asText());
        putContact(out, parent);
        ArrayNode children = out.putArray("children");
        for (JsonNode link : parent.path("children")) {
            String studentId = link.get("student_userid").asText();
            ObjectNode child = children.addObject().put("student_userid", studentId).put("relation", link.path("relation").asText());
            ObjectNode student = state.find(STUDENTS, Directory.key(studentId));
            if (childNames && student != null) {
                child.put("name", student.path("name").asText());
            }
        }
        return out;
    }

    private static void putContact(ObjectNode out, ObjectNode parent) {
        if (parent.hasNonNull("mobile")) {
            out.put("mobile", parent.get("mobile").asText());
        }
        out.put("is_subscribe", parent.path("is_subscribe").asInt());
        if (subscribed(parent) && parent.hasNonNull("external_userid")) {
            out.put("external_userid", parent.get("external_userid").asText());
        }
    }

    private static long existingDepartment(SandboxState state, String id) {
        Long departmentId = departmentId(state, id);
        if (departmentId == null) {
            throw new WeComError(65004, "school department " + id + " not found");
        }
        return departmentId;
    }

    private static Long departmentId(SandboxState state, String id) {
        try {
            long departmentId = Long.parseLong(id.trim());
            return state.find(DEPARTMENTS, Long.toString(departmentId)) == null ? null : departmentId;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Set<Long> subtree(SandboxState state, long root) {
        Set<Long> out = new LinkedHashSet<>(List.of(root));
        for (ObjectNode d : state.collection(DEPARTMENTS).values()) {
            long id = d.get("id").asLong();
            if (d.path("parentid").asLong() == root && id != root) {
                out.addAll(subtree(state, id));
            }
        }
        return out;
    }

    private static long number(String value, String name) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new WeComError(40058, "invalid " + name + ": " + value);
        }
    }

    private static long optionalNumber(SandboxRequest request, String name, long fallback) {
        String value = request.param(name);
        return value == null || value.isEmpty() ? fallback : number(value, name);
    }

    private static final class Recipients {
        final boolean parents;
        final boolean students;
        final Set<String> parentIds = new LinkedHashSet<>();
        final Set<String> studentIds = new LinkedHashSet<>();

        Recipients(boolean parents, boolean students) {
            this.parents = parents;
            this.students = students;
        }

        void addParent(ObjectNode parent) {
            parentIds.add(parent.get("parent_userid").asText());
        }

        void addStudent(SandboxState state, ObjectNode student) {
            if (students) {
                studentIds.add(student.get("student_userid").asText());
            }
            if (parents) {
                for (JsonNode link : student.path("parents")) {
                    ObjectNode parent = state.find(PARENTS, Directory.key(link.get("parent_userid").asText()));
                    if (parent != null) {
                        addParent(parent);
                    }
                }
            }
        }
    }
}
