package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.read;
import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * 日程: calendars and schedules, all owned by the sandbox's one app (calendar and schedule APIs need
 * an app token). A deleted calendar is kept aside so that its id answers 90459 rather than 90457;
 * deleting a calendar cancels its schedules. A deleted schedule is cancelled, not removed: reads
 * return it with {@code status} 1 and writes answer 90460. Recurring schedules honour
 * {@code op_mode}/{@code op_start_time}: "this occurrence" excludes it and "this and later" trims
 * the series, and an update that does either answers the schedule_id of the new schedule.
 */
final class CalendarModule implements SandboxModule {
    static final String CALENDARS = "calendars";
    static final String DELETED_CALENDARS = "calendars.deleted";
    static final String SCHEDULES = "schedules";
    private static final String DEFAULT_CALENDAR = "calendar.default";
    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");
    private static final Set<Integer> REMIND_BEFORE = Set.of(0, 300, 900, 3600, 86400);
    private static final Set<Integer> REMIND_DIFFS = Set.of(0, -300, -900, -3600, -86400);
    private static final Set<Integer> WHOLE_DAY_REMIND_DIFFS = Set.of(32400, -172800, -604800);
    private static final Set<Integer> REPEAT_TYPES = Set.of(0, 1, 2, 5, 7);
    private static final int MAX_IDS = 1000;
    private static final int MAX_ADMINS = 3;
    private static final int MAX_SHARES = 2000;
    private static final int MAX_ATTENDEES = 1000;
    private static final int MAX_RANGE_USERS = 1000;
    private static final int MAX_RANGE_PARTIES = 100;
    private static final int DEFAULT_LIMIT = 500;
    private static final int MAX_LIMIT = 1000;
    private static final int DEFAULT_TIMEZONE = 8;

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        seed.path("calendars").forEach(c -> state.collection(CALENDARS).put(c.get("cal_id").asText(), seededCalendar(c)));
        seed.path("schedules").forEach(s -> state.collection(SCHEDULES).put(s.get("schedule_id").asText(), seededSchedule(s)));
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.ofEntries(
                Map.entry("/cgi-bin/oa/calendar/add", write("POST", appOnly(CalendarModule::calendarAdd))),
                Map.entry("/cgi-bin/oa/calendar/get", read("POST", appOnly(CalendarModule::calendarGet))),
                Map.entry("/cgi-bin/oa/calendar/update", write("POST", appOnly(CalendarModule::calendarUpdate))),
                Map.entry("/cgi-bin/oa/calendar/del", write("POST", appOnly(CalendarModule::calendarDel))),
                Map.entry("/cgi-bin/oa/schedule/add", write("POST", appOnly(CalendarModule::scheduleAdd))),
                Map.entry("/cgi-bin/oa/schedule/get", read("POST", appOnly(CalendarModule::scheduleGet))),
                Map.entry("/cgi-bin/oa/schedule/update", write("POST", appOnly(CalendarModule::scheduleUpdate))),
                Map.entry("/cgi-bin/oa/schedule/del", write("POST", appOnly(CalendarModule::scheduleDel))),
                Map.entry("/cgi-bin/oa/schedule/add_attendees", write("POST", appOnly(CalendarModule::attendeesAdd))),
                Map.entry("/cgi-bin/oa/schedule/del_attendees", write("POST", appOnly(CalendarModule::attendeesDel))),
                Map.entry("/cgi-bin/oa/schedule/get_by_calendar", read("POST", appOnly(CalendarModule::schedulesOfCalendar))));
    }

    static ObjectNode calendar(SandboxState state, String calId) {
        ObjectNode calendar = state.find(CALENDARS, calId);
        if (calendar != null) {
            return calendar;
        }
        if (state.find(DELETED_CALENDARS, calId) != null) {
            throw new WeComError(90459, "calendar has been deleted");
        }
        throw new WeComError(90457, "invalid cal_id");
    }

    static ObjectNode schedule(SandboxState state, String scheduleId) {
        ObjectNode schedule = state.find(SCHEDULES, scheduleId);
        if (schedule == null) {
            throw new WeComError(90461, "invalid schedule_id");
        }
        return schedule;
    }

    private static ObjectNode activeSchedule(SandboxState state, String scheduleId) {
        ObjectNode schedule = schedule(state, scheduleId);
        if (schedule.path("status").asInt() == 1) {
            throw new WeComError(90460, "schedule has been deleted");
        }
        return schedule;
    }

    private static Route appOnly(Route route) {
        return Route.forSecrets(Set.of("app"), "calendars and schedules need an app's access_token", route);
    }

    private static ObjectNode seededCalendar(JsonNode seed) {
        ObjectNode calendar = Json.object();
        Json.merge(calendar, seed, "organizer");
        calendar.putIfAbsent("description", TextNode.valueOf(""));
        calendar.putIfAbsent("admins", Json.array());
        calendar.putIfAbsent("is_public", IntNode.valueOf(0));
        calendar.putIfAbsent("is_corp_calendar", IntNode.valueOf(0));
        calendar.withArray("shares").forEach(share -> ((ObjectNode) share).putIfAbsent("permission", IntNode.valueOf(1)));
        return calendar;
    }

    private static ObjectNode seededSchedule(JsonNode seed) {
        ObjectNode schedule = Json.object();
        Json.merge(schedule, seed, "organizer", "reminders");
        schedule.putIfAbsent("sequence", IntNode.valueOf(1));
        schedule.putIfAbsent("summary", TextNode.valueOf(""));
        schedule.putIfAbsent("description", TextNode.valueOf(""));
        schedule.putIfAbsent("location", TextNode.valueOf(""));
        schedule.putIfAbsent("is_whole_day", IntNode.valueOf(0));
        schedule.putIfAbsent("admins", Json.array());
        schedule.withArray("attendees").forEach(a -> ((ObjectNode) a).putIfAbsent("response_status", IntNode.valueOf(0)));
        ObjectNode reminders = reminders(seed.path("reminders"), schedule.get("is_whole_day").asInt() == 1);
        seed.path("reminders").path("exclude_time_list").forEach(e -> reminders.withArray("exclude_time_list").add(e.deepCopy()));
        schedule.set("reminders", reminders);
        schedule.putIfAbsent("status", IntNode.valueOf(0));
        return schedule;
    }

    private static ObjectNode calendarAdd(SandboxRequest request, SandboxState state) {
        ObjectNode input = object(request.requiredField("calendar"), "calendar");
        ArrayNode failedShares = Json.array();
        ObjectNode content = calendarContent(input, state, failedShares);
        int corp = flag(input, "is_corp_calendar");
        int isPublic = corp == 1 ? 1 : flag(input, "is_public");
        int asDefault = flag(input, "set_as_default");
        if (corp == 1) {
            checkCorpCalendar(content, asDefault);
        }
        String calId = state.nextId("cal_");
        ObjectNode calendar = Json.object().put("cal_id", calId);
        calendar.setAll(content);
        calendar.put("is_public", isPublic);
        if (isPublic == 1) {
            calendar.set("public_range", publicRange(input));
        }
        calendar.put("is_corp_calendar", corp);
        state.collection(CALENDARS).put(calId, calendar);
        if (asDefault == 1) {
            state.put(DEFAULT_CALENDAR, calId);
        }
        return withFailedShares(Json.object().put("cal_id", calId), failedShares);
    }

    private static ObjectNode calendarGet(SandboxRequest request, SandboxState state) {
        List<String> ids = idList(request.field("cal_id_list"), 90458, "cal_id_list is empty");
        ArrayNode list = Json.array();
        ids.forEach(id -> list.add(calendar(state, id).deepCopy()));
        ObjectNode out = Json.object();
        out.set("calendar_list", list);
        return out;
    }

    private static ObjectNode calendarUpdate(SandboxRequest request, SandboxState state) {
        ObjectNode input = object(request.requiredField("calendar"), "calendar");
        ObjectNode calendar = calendar(state, requiredText(input, "cal_id"));
        ArrayNode failedShares = Json.array();
        ObjectNode content = calendarContent(input, state, failedShares);
        if (calendar.path("is_corp_calendar").asInt() == 1) {
            checkCorpCalendar(content, 0);
        }
        if (flag(request.body(), "skip_public_range") == 0 && calendar.path("is_public").asInt() == 1) {
            content.set("public_range", publicRange(input));
        }
        calendar.setAll(content);
        return withFailedShares(Json.object(), failedShares);
    }

    private static ObjectNode calendarDel(SandboxRequest request, SandboxState state) {
        String calId = request.required("cal_id");
        ObjectNode calendar = calendar(state, calId);
        state.collection(CALENDARS).remove(calId);
        state.collection(DELETED_CALENDARS).put(calId, calendar);
        schedulesOf(state, calId).forEach(CalendarModule::cancel);
        if (calId.equals(state.get(DEFAULT_CALENDAR, null))) {
            state.put(DEFAULT_CALENDAR, null);
        }
        return Json.object();
    }

    private static ObjectNode calendarContent(ObjectNode input, SandboxState state, ArrayNode failedShares) {
        ObjectNode content = Json.object();
        content.put("summary", requiredText(input, "summary", 128));
        String color = requiredText(input, "color");
        if (!COLOR.matcher(color).matches()) {
            throw new WeComError(90473, "invalid color: " + color);
        }
        content.put("color", color);
        content.put("description", text(input, "description", 512));
        ArrayNode shares = shares(input.path("shares"), state, failedShares);
        content.set("admins", admins(input.path("admins"), shares));
        content.set("shares", shares);
        return content;
    }

    private static ArrayNode shares(JsonNode input, SandboxState state, ArrayNode failedShares) {
        checkSize(input, "shares", MAX_SHARES);
        ArrayNode shares = Json.array();
        for (JsonNode share : input) {
            String userid = requiredText(share, "userid");
            int permission = share.path("permission").asInt(1);
            if (permission != 1 && permission != 3) {
                throw new WeComError(40058, "invalid permission: " + permission);
            }
            if (!Directory.userExists(state, userid)) {
                failedShares.addObject().put("errcode", 40001).put("errmsg", "not found").put("userid", userid);
            } else if (memberIndex(shares, userid) < 0) {
                shares.addObject().put("userid", canonicalUserid(state, userid)).put("permission", permission);
            }
        }
        return shares;
    }

    private static void checkCorpCalendar(ObjectNode content, int asDefault) {
        if (asDefault == 1) {
            throw new WeComError(40058, "a corp calendar (is_corp_calendar=1) cannot be set as default");
        }
        for (JsonNode share : content.get("shares")) {
            if (share.get("permission").asInt() == 3) {
                throw new WeComError(40058, "a corp calendar (is_corp_calendar=1) does not support permission 3");
            }
        }
    }

    private static ObjectNode publicRange(ObjectNode input) {
        JsonNode range = input.path("public_range");
        if (range.path("userids").isEmpty() && range.path("partyids").isEmpty()) {
            throw new WeComError(90483, "public_range is required for a public or corp calendar");
        }
        checkSize(range.path("userids"), "public_range.userids", MAX_RANGE_USERS);
        checkSize(range.path("partyids"), "public_range.partyids", MAX_RANGE_PARTIES);
        ObjectNode out = Json.object();
        out.set("userids", Json.array(Json.texts(range.path("userids"))));
        ArrayNode partyids = out.putArray("partyids");
        range.path("partyids").forEach(p -> partyids.add(p.asLong()));
        return out;
    }

    private static ObjectNode withFailedShares(ObjectNode out, ArrayNode failedShares) {
        if (!failedShares.isEmpty()) {
            out.putObject("fail_result").set("shares", failedShares);
        }
        return out;
    }

    private static ObjectNode scheduleAdd(SandboxRequest request, SandboxState state) {
        ObjectNode input = object(request.requiredField("schedule"), "schedule");
        String calId = text(input, "cal_id", 64);
        if (calId.isEmpty()) {
            calId = defaultCalendar(state);
        }
        calendar(state, calId);
        ObjectNode content = scheduleContent(input, state, null);
        ObjectNode schedule = newSchedule(state, calId, content);
        return Json.object().put("schedule_id", schedule.get("schedule_id").asText());
    }

    private static String defaultCalendar(SandboxState state) {
        String calId = state.get(DEFAULT_CALENDAR, null);
        if (calId == null) {
            throw new WeComError(90708, "the app has no default calendar, cal_id is required");
        }
        return calId;
    }

    private static ObjectNode newSchedule(SandboxState state, String calId, ObjectNode content) {
        String scheduleId = state.nextId("sch_");
        ObjectNode schedule = Json.object().put("schedule_id", scheduleId).put("sequence", 1).put("cal_id", calId);
        schedule.setAll(content);
        schedule.put("status", 0);
        state.collection(SCHEDULES).put(scheduleId, schedule);
        return schedule;
    }

    private static ObjectNode scheduleGet(SandboxRequest request, SandboxState state) {
        List<String> ids = idList(request.field("schedule_id_list"), 90462, "schedule_id_list is empty");
        ArrayNode list = Json.array();
        ids.forEach(id -> list.add(detailView(schedule(state, id))));
        ObjectNode out = Json.object();
        out.set("schedule_list", list);
        return out;
    }

    private static ObjectNode scheduleUpdate(SandboxRequest request, SandboxState state) {
        ObjectNode input = object(request.requiredField("schedule"), "schedule");
        ObjectNode schedule = activeSchedule(state, requiredText(input, "schedule_id"));
        ArrayNode kept = flag(request.body(), "skip_attendees") == 1 ? (ArrayNode) schedule.get("attendees") : null;
        ObjectNode content = scheduleContent(input, state, kept);
        int opMode = opMode(request.body());
        if (opMode == 0) {
            ((ObjectNode) content.get("reminders")).set("exclude_time_list", schedule.get("reminders").get("exclude_time_list").deepCopy());
            schedule.setAll(content);
            bumpSequence(schedule);
            return Json.object();
        }
        long opStart = occurrence(request.body(), schedule);
        if (localDate(content.get("start_time").asLong(), schedule).isBefore(localDate(opStart, schedule))) {
            throw new WeComError(90488, "start_time must not be before the day of op_start_time");
        }
        if (opMode == 1) {
            ((ObjectNode) content.get("reminders")).put("is_repeat", 0);
            excludeOccurrence(schedule, opStart);
        } else {
            endSeriesBefore(schedule, opStart);
        }
        ObjectNode split = newSchedule(state, schedule.get("cal_id").asText(), content);
        return Json.object().put("schedule_id", split.get("schedule_id").asText());
    }

    private static ObjectNode scheduleDel(SandboxRequest request, SandboxState state) {
        ObjectNode schedule = activeSchedule(state, request.required("schedule_id"));
        int opMode = opMode(request.body());
        if (opMode == 0) {
            cancel(schedule);
        } else if (opMode == 1) {
            excludeOccurrence(schedule, occurrence(request.body(), schedule));
        } else {
            endSeriesBefore(schedule, occurrence(request.body(), schedule));
        }
        return Json.object();
    }

    private static ObjectNode attendeesAdd(SandboxRequest request, SandboxState state) {
        ObjectNode schedule = activeSchedule(state, request.required("schedule_id"));
        ArrayNode attendees = schedule.withArray("attendees").deepCopy();
        addAttendees(attendees, request.field("attendees"), state);
        schedule.set("attendees", attendees);
        bumpSequence(schedule);
        return Json.object();
    }

    private static ObjectNode attendeesDel(SandboxRequest request, SandboxState state) {
        ObjectNode schedule = activeSchedule(state, request.required("schedule_id"));
        ArrayNode attendees = schedule.withArray("attendees");
        for (JsonNode attendee : request.field("attendees")) {
            int index = memberIndex(attendees, requiredText(attendee, "userid"));
            if (index >= 0) {
                attendees.remove(index);
            }
        }
        bumpSequence(schedule);
        return Json.object();
    }

    private static ObjectNode schedulesOfCalendar(SandboxRequest request, SandboxState state) {
        String calId = request.required("cal_id");
        calendar(state, calId);
        int offset = intParam(request, "offset", 0);
        if (offset < 0) {
            throw new WeComError(90470, "invalid offset: " + offset);
        }
        int limit = intParam(request, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new WeComError(90469, "limit must be 1 ~ " + MAX_LIMIT);
        }
        ArrayNode list = Json.array();
        schedulesOf(state, calId).stream().skip(offset).limit(limit).forEach(s -> list.add(listView(s)));
        ObjectNode out = Json.object();
        out.set("schedule_list", list);
        return out;
    }

    private static List<ObjectNode> schedulesOf(SandboxState state, String calId) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode schedule : state.collection(SCHEDULES).values()) {
            if (calId.equals(schedule.path("cal_id").asText())) {
                out.add(schedule);
            }
        }
        return out;
    }

    private static ObjectNode detailView(ObjectNode schedule) {
        ObjectNode view = schedule.deepCopy();
        view.remove("sequence");
        return view;
    }

    private static ObjectNode listView(ObjectNode schedule) {
        ObjectNode view = schedule.deepCopy();
        view.remove("is_whole_day");
        ((ObjectNode) view.get("reminders")).remove(List.of("remind_time_diffs", "exclude_time_list"));
        return view;
    }

    private static ObjectNode scheduleContent(ObjectNode input, SandboxState state, ArrayNode keptAttendees) {
        ObjectNode content = Json.object();
        content.put("summary", text(input, "summary", 128));
        long start = requiredLong(input, "start_time");
        long end = requiredLong(input, "end_time");
        if (end < start) {
            throw new WeComError(40058, "end_time must not be before start_time");
        }
        content.put("start_time", start);
        content.put("end_time", end);
        int wholeDay = flag(input, "is_whole_day");
        content.put("is_whole_day", wholeDay);
        content.put("location", text(input, "location", 128));
        content.put("description", text(input, "description", 1000));
        ArrayNode attendees = keptAttendees != null ? keptAttendees.deepCopy() : Json.array();
        if (keptAttendees == null) {
            addAttendees(attendees, input.path("attendees"), state);
        }
        content.set("admins", admins(input.path("admins"), attendees));
        content.set("attendees", attendees);
        content.set("reminders", reminders(input.path("reminders"), wholeDay == 1));
        return content;
    }

    private static void addAttendees(ArrayNode attendees, JsonNode input, SandboxState state) {
        for (JsonNode attendee : input) {
            String userid = requiredText(attendee, "userid");
            String canonical = canonicalUserid(state, userid);
            if (memberIndex(attendees, canonical) < 0) {
                attendees.addObject().put("userid", canonical).put("response_status", 0);
            }
        }
        if (attendees.size() > MAX_ATTENDEES) {
            throw new WeComError(90464, "attendees exceed " + MAX_ATTENDEES);
        }
    }

    private static ArrayNode admins(JsonNode input, ArrayNode members) {
        checkSize(input, "admins", MAX_ADMINS);
        ArrayNode admins = Json.array();
        for (String userid : Json.texts(input)) {
            int index = memberIndex(members, userid);
            if (index < 0) {
                throw new WeComError(90492, "admin " + userid + " is not in the member list");
            }
            Json.addText(admins, members.get(index).get("userid").asText());
        }
        return admins;
    }

    private static ObjectNode reminders(JsonNode input, boolean wholeDay) {
        int isRemind = flag(input, "is_remind");
        int before = input.path("remind_before_event_secs").asInt(0);
        if (!REMIND_BEFORE.contains(before)) {
            throw new WeComError(90471, "invalid remind_before_event_secs: " + before);
        }
        List<Integer> diffs = new ArrayList<>();
        for (JsonNode diff : input.path("remind_time_diffs")) {
            int value = diff.asInt();
            if (!REMIND_DIFFS.contains(value) && !(wholeDay && WHOLE_DAY_REMIND_DIFFS.contains(value))) {
                throw new WeComError(90471, "invalid remind_time_diffs value: " + value);
            }
            diffs.add(value);
        }
        if (diffs.isEmpty() && isRemind == 1 && input.has("remind_before_event_secs")) {
            diffs.add(-before);
        } else if (!diffs.isEmpty() && !input.has("remind_before_event_secs") && REMIND_BEFORE.contains(-diffs.get(0))) {
            before = -diffs.get(0);
        }
        int repeatType = input.path("repeat_type").asInt(0);
        if (!REPEAT_TYPES.contains(repeatType)) {
            throw new WeComError(90465, "unsupported repeat_type: " + repeatType);
        }
        int isRepeat = flag(input, "is_repeat");
        int custom = flag(input, "is_custom_repeat");
        int interval = input.path("repeat_interval").asInt(0);
        if (isRepeat == 1 && custom == 1 && interval < 1) {
            throw new WeComError(90486, "missing repeat_interval");
        }
        int timezone = input.path("timezone").asInt(DEFAULT_TIMEZONE);
        if (timezone < -12 || timezone > 12) {
            throw new WeComError(90480, "invalid timezone: " + timezone);
        }
        ObjectNode out = Json.object();
        out.put("is_remind", isRemind);
        out.put("remind_before_event_secs", before);
        ArrayNode diffsOut = out.putArray("remind_time_diffs");
        diffs.forEach(diffsOut::add);
        out.put("is_repeat", isRepeat);
        out.put("repeat_type", repeatType);
        out.put("repeat_until", input.path("repeat_until").asLong(0));
        out.put("is_custom_repeat", custom);
        out.put("repeat_interval", interval);
        out.set("repeat_day_of_week", days(input.path("repeat_day_of_week"), 7, 90467, "repeat_day_of_week"));
        out.set("repeat_day_of_month", days(input.path("repeat_day_of_month"), 31, 90487, "repeat_day_of_month"));
        out.put("timezone", timezone);
        out.set("exclude_time_list", Json.array());
        return out;
    }

    private static ArrayNode days(JsonNode input, int max, int errcode, String name) {
        ArrayNode days = Json.array();
        for (JsonNode day : input) {
            int value = day.asInt();
            if (value < 1 || value > max) {
                throw new WeComError(errcode, "invalid " + name + " value: " + value);
            }
            days.add(value);
        }
        return days;
    }

    private static int opMode(JsonNode body) {
        int opMode = body.path("op_mode").asInt(0);
        if (opMode < 0 || opMode > 2) {
            throw new WeComError(90485, "invalid op_mode: " + opMode);
        }
        return opMode;
    }

    private static long occurrence(JsonNode body, ObjectNode schedule) {
        if (schedule.path("reminders").path("is_repeat").asInt() != 1) {
            throw new WeComError(90484, "op_mode 1 and 2 apply only to a recurring schedule");
        }
        JsonNode opStart = body.get("op_start_time");
        if (opStart == null || !opStart.isNumber() || !isOccurrence(schedule, opStart.asLong())) {
            throw new WeComError(90482, "op_start_time is not the start time of an occurrence");
        }
        return opStart.asLong();
    }

    private static boolean isOccurrence(ObjectNode schedule, long time) {
        JsonNode reminders = schedule.get("reminders");
        long start = schedule.get("start_time").asLong();
        long until = reminders.path("repeat_until").asLong();
        if (time < start || (until > 0 && time > until) || isExcluded(reminders, time)) {
            return false;
        }
        OffsetDateTime first = dateTime(start, schedule);
        OffsetDateTime at = dateTime(time, schedule);
        if (!first.toLocalTime().equals(at.toLocalTime())) {
            return false;
        }
        LocalDate from = first.toLocalDate();
        LocalDate day = at.toLocalDate();
        boolean custom = reminders.path("is_custom_repeat").asInt() == 1;
        int interval = custom ? Math.max(1, reminders.path("repeat_interval").asInt(1)) : 1;
        List<String> weekdays = custom ? Json.texts(reminders.get("repeat_day_of_week")) : List.of();
        List<String> monthDays = custom ? Json.texts(reminders.get("repeat_day_of_month")) : List.of();
        return switch (reminders.path("repeat_type").asInt()) {
            case 0 -> ChronoUnit.DAYS.between(from, day) % interval == 0;
            case 1 -> ChronoUnit.WEEKS.between(monday(from), monday(day)) % interval == 0
                    && (weekdays.isEmpty() ? day.getDayOfWeek() == from.getDayOfWeek()
                            : weekdays.contains(Integer.toString(day.getDayOfWeek().getValue())));
            case 2 -> ChronoUnit.MONTHS.between(YearMonth.from(from), YearMonth.from(day)) % interval == 0
                    && (monthDays.isEmpty() ? day.getDayOfMonth() == from.getDayOfMonth()
                            : monthDays.contains(Integer.toString(day.getDayOfMonth())));
            case 5 -> (day.getYear() - from.getYear()) % interval == 0
                    && day.getMonth() == from.getMonth() && day.getDayOfMonth() == from.getDayOfMonth();
            case 7 -> day.getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue();
            default -> false;
        };
    }

    private static boolean isExcluded(JsonNode reminders, long time) {
        for (JsonNode excluded : reminders.path("exclude_time_list")) {
            if (excluded.path("start_time").asLong() == time) {
                return true;
            }
        }
        return false;
    }

    private static LocalDate monday(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private static OffsetDateTime dateTime(long epochSecond, ObjectNode schedule) {
        int timezone = schedule.path("reminders").path("timezone").asInt(DEFAULT_TIMEZONE);
        return Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.ofHours(timezone));
    }

    private static LocalDate localDate(long epochSecond, ObjectNode schedule) {
        return dateTime(epochSecond, schedule).toLocalDate();
    }

    private static void excludeOccurrence(ObjectNode schedule, long time) {
        ((ObjectNode) schedule.get("reminders")).withArray("exclude_time_list").addObject().put("start_time", time);
        bumpSequence(schedule);
    }

    private static void endSeriesBefore(ObjectNode schedule, long time) {
        if (time <= schedule.get("start_time").asLong()) {
            cancel(schedule);
            return;
        }
        ((ObjectNode) schedule.get("reminders")).put("repeat_until", time - 1);
        bumpSequence(schedule);
    }

    private static void cancel(ObjectNode schedule) {
        if (schedule.path("status").asInt() != 1) {
            schedule.put("status", 1);
            bumpSequence(schedule);
        }
    }

    private static void bumpSequence(ObjectNode schedule) {
        schedule.put("sequence", schedule.path("sequence").asLong() + 1);
    }

    private static String canonicalUserid(SandboxState state, String userid) {
        return Directory.user(state, userid).get("userid").asText();
    }

    private static int memberIndex(ArrayNode members, String userid) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).path("userid").asText().equalsIgnoreCase(userid)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> idList(JsonNode input, int emptyErrcode, String emptyMessage) {
        List<String> ids = Json.texts(input);
        if (ids.isEmpty()) {
            throw new WeComError(emptyErrcode, emptyMessage);
        }
        if (ids.size() > MAX_IDS) {
            throw new WeComError(40058, "at most " + MAX_IDS + " ids per call");
        }
        return ids;
    }

    private static ObjectNode object(JsonNode value, String name) {
        if (!value.isObject()) {
            throw new WeComError(40058, "invalid " + name + ": an object is expected");
        }
        return (ObjectNode) value;
    }

    private static String requiredText(JsonNode node, String name) {
        String value = node.path(name).asText("");
        if (value.isEmpty()) {
            throw WeComError.missing(name);
        }
        return value;
    }

    private static String requiredText(JsonNode node, String name, int maxLength) {
        return checkLength(name, requiredText(node, name), maxLength);
    }

    private static String text(JsonNode node, String name, int maxLength) {
        return checkLength(name, node.path(name).asText(""), maxLength);
    }

    private static String checkLength(String name, String value, int maxLength) {
        if (value.codePointCount(0, value.length()) > maxLength) {
            throw new WeComError(40058, name + " exceeds " + maxLength + " characters");
        }
        return value;
    }

    private static long requiredLong(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw WeComError.missing(name);
        }
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new WeComError(40058, "invalid " + name + ": a unix timestamp is expected");
        }
        return value.asLong();
    }

    private static int flag(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        int flag = value.asInt(-1);
        if (flag != 0 && flag != 1) {
            throw new WeComError(40058, "invalid " + name + ": 0 or 1 is expected");
        }
        return flag;
    }

    private static int intParam(SandboxRequest request, String name, int fallback) {
        String value = request.param(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new WeComError(40058, "invalid " + name + ": " + value);
        }
    }

    private static void checkSize(JsonNode array, String name, int max) {
        if (array.size() > max) {
            throw new WeComError(40058, name + " exceeds " + max + " items");
        }
    }
}
