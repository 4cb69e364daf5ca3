package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The designer page served at {@code /}, in headless Chromium against a real API server and the WeCom
 * sandbox: compose and execute a message, field errors at their fields, every action's form, dynamic
 * choices, one test per point of the page's usability, and the screenshots in {@code docs/designer-desktop.png} and
 * {@code docs/designer-390.png}.
 */
class DesignerBrowserIT {
    private static TestHost test;
    private static ApiServer server;
    private static DesignerPage page;

    @BeforeAll
    static void start() {
        try {
            test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES)
                    .dataDir(Files.createTempDirectory("designer-events")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ObjectNode acme = test.sandbox.connection().deepCopy();
        acme.put("name", "acme"); // the same upstream under another name: a connection that is not the sandbox
        try {
            test.host.addConnection(acme);
        } catch (ActionException e) {
            throw new IllegalStateException(e);
        }
        server = ApiServer.start(test.host, null, ApiServer.Settings.local());
        test.sandbox.sendCallbacksTo(java.net.URI.create("http://127.0.0.1:" + server.port() + "/callbacks/sandbox"));
        page = new DesignerPage("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        try {
            if (page != null) {
                page.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (test != null) {
                test.close();
            }
        }
    }

    @Test
    void aTextcardMessageIsComposedAndSentOnTheSandbox() {
        page.open();
        assertEquals("sandbox", page.js("return document.getElementById('connection').value"));
        searchShows("应用消息", "message_send", "user_get");
        searchShows("send an app", "message_send", "user_get");
        page.choose("message_send");

        page.select("root.msgtype", "textcard");
        page.waitFor("the textcard form", () -> page.field("root.textcard").isDisplayed());
        assertFalse(page.field("root.text").isDisplayed(), "only the chosen type's object is shown");
        assertFalse(page.field("root.news").isDisplayed());
        fillTextcard();
        page.type("root.touser", "zhangsan|lisi");

        JsonNode sent = TestHost.json(page.value());
        assertEquals(TestHost.json("""
                {"touser": "zhangsan|lisi", "msgtype": "textcard",
                 "textcard": {"title": "领奖通知", "description": "恭喜你抽中一台 iPhone", "url": "https://example.com/notice/2025-01"}}
                """), sent, "the value holds only what was filled in");
        assertEquals(sent, TestHost.json(page.driver.findElement(By.id("request")).getAttribute("textContent")));

        long before = test.applied("/cgi-bin/message/send");
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        JsonNode output = TestHost.json(page.output());
        assertEquals(0, output.get("errcode").asInt());
        assertFalse(output.path("msgid").asText().isEmpty(), output.toString());
        assertTrue(page.driver.findElement(By.id("result-status")).getText().contains("200"));
        assertEquals(before + 1, test.applied("/cgi-bin/message/send"));
    }

    @Test
    void whatWeComWillCutIsSentAndShownAsAWarning() {
        page.open();
        page.choose("message_send");
        page.select("root.msgtype", "textcard");
        page.waitFor("the textcard form", () -> page.field("root.textcard").isDisplayed());
        fillTextcard();
        page.type("root.textcard.btntxt", "查看更多详情");
        page.type("root.touser", "zhangsan");
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        WebElement warnings = page.driver.findElement(By.id("warnings"));
        assertTrue(warnings.isDisplayed(), "the warnings box is shown");
        assertTrue(warnings.getText().contains("/textcard/btntxt") && warnings.getText().contains("4"), warnings.getText());

        page.type("root.textcard.btntxt", "详情");
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        assertFalse(page.driver.findElement(By.id("warnings")).isDisplayed(), "no warning within the limit");
    }

    @Test
    void fieldErrorsAreShownAtTheirFields() {
        page.open();
        page.choose("message_send");
        page.select("root.msgtype", "textcard");
        page.type("root.textcard.title", "领奖通知");
        page.type("root.textcard.description", "恭喜");
        // no url, no receiver
        long requests = test.requests("/cgi-bin/message/send");
        page.clickExecute();
        assertEquals("error", page.result());
        assertTrue(page.errorBox().contains("INVALID_INPUT"), page.errorBox());

        String urlError = fieldError("root.textcard.url");
        assertTrue(urlError.contains("必须填写跳转链接"), urlError);
        assertFalse(fieldError("root.touser").isEmpty(), "a missing receiver is shown at touser");
        assertTrue(page.driver.findElements(By.cssSelector("[data-schemapath='root.textcard.title'] .field-error")).isEmpty());
        assertEquals(requests, test.requests("/cgi-bin/message/send"), "nothing was sent");

        // Fixing a field removes its message; a link without its protocol header is WeCom's to take
        // (it does not check links), so the form runs and warns that the link will not open.
        page.type("root.textcard.url", "example.com/notice");
        page.waitFor("the url error to go", () -> page.field("root.textcard.url").findElements(By.className("field-error")).isEmpty());
        assertFalse(fieldError("root.touser").isEmpty(), "untouched fields keep theirs");
        page.type("root.touser", "zhangsan");
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        assertTrue(page.driver.findElements(By.cssSelector("#form .field-error")).isEmpty());
        String linkWarning = page.driver.findElement(By.id("warnings")).getText();
        assertTrue(linkWarning.contains("/textcard/url") && linkWarning.contains("协议头"), linkWarning);

        // An empty required field, in English.
        page.open();
        page.js("const l = document.getElementById('lang'); l.value = 'en'; l.dispatchEvent(new Event('change'))");
        page.choose("user_get");
        page.clickExecute();
        assertEquals("error", page.result());
        assertTrue(fieldError("root.userid").endsWith("is required"), fieldError("root.userid"));
    }

    @Test
    void anUpstreamErrorShowsItsErrcodeErrmsgAndHint() {
        page.open();
        page.choose("user_get");
        page.type("root.userid", "nobody");
        page.clickExecute();
        assertEquals("error", page.result());
        String box = page.errorBox();
        assertTrue(box.contains("UPSTREAM_ERROR") && box.contains("userid not found"), box);
        assertEquals("60111", page.driver.findElement(By.cssSelector("#error .errcode")).getText());
        assertTrue(page.driver.findElement(By.cssSelector("#error .hint-text")).getText().contains("UserID"), box);
        assertTrue(page.driver.findElement(By.id("result-status")).getText().contains("502"));
    }

    @Test
    void everyActionRendersItsFormWithoutBrowserErrors() {
        page.open();
        page.severeConsoleEntries(); // drain
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) page.js("return Array.from(document.querySelectorAll('#palette .action[data-action]')).map(e => e.dataset.action)");
        assertEquals(test.host.actions().size(), ids.size(), "every action is in the palette");
        Map<String, List<String>> problems = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (String id : ids) {
            page.choose(id);
            List<String> found = new ArrayList<>(page.severeConsoleEntries());
            found.addAll(page.pageErrors());
            page.js("window.__designerErrors.length = 0");
            ActionDescriptor action = test.host.action(id).orElseThrow();
            List<String> properties = new ArrayList<>();
            action.input().path("properties").fieldNames().forEachRemaining(properties::add);
            @SuppressWarnings("unchecked")
            List<String> missing = (List<String>) page.js("""
                    const root = designer.editor().getEditor('root');
                    const offered = root.addproperty_checkboxes || {};
                    const missing = arguments[0].filter(p => !document.querySelector('#form [data-schemapath="root.' + p + '"]') && !offered[p])
                        .map(p => 'root.' + p);
                    if (!document.querySelector('#form [data-schemapath="root"]')) missing.push('root');
                    if (document.getElementById('action-title').textContent !== arguments[1]) missing.push('the title');
                    return missing;""", properties, action.title());
            missing.forEach(m -> found.add("not rendered: " + m));
            if (!found.isEmpty()) {
                problems.put(id, found);
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertTrue(problems.isEmpty(), "problems: " + problems);
        assertTrue(seconds < 60, "rendering every form took " + seconds + " s");
    }

    @Test
    void choicesComeFromTheConnection() {
        page.open();
        // user_create: department ids as checkboxes
        page.choose("user_create");
        page.addField("root.department");
        List<String> departments = page.field("root.department").findElements(By.cssSelector("label:has(> input.je-checkbox)"))
                .stream().map(e -> e.getText().strip()).toList();
        assertTrue(departments.containsAll(List.of("示例科技（1）", "研发部（2）", "市场部（3）", "行政部（4）")), departments.toString());
        String userid = "designer" + (System.nanoTime() % 100000);
        page.type("root.userid", userid);
        page.type("root.name", "设计器");
        page.type("root.mobile", "1380013" + (System.nanoTime() % 9000 + 1000));
        page.field("root.department").findElements(By.cssSelector("label:has(> input.je-checkbox)")).stream()
                .filter(l -> l.getText().strip().equals("研发部（2）")).findFirst().orElseThrow().click();
        assertEquals(List.of(2), list(TestHost.json(page.value()).get("department")));
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        assertEquals("设计器", test.success("user_get", "{\"userid\": \"" + userid + "\"}").get("name").asText());

        // tag_addtagusers: tag ids as a labelled select, userids as picks
        page.choose("tag_addtagusers");
        List<String> tags = page.field("root.tagid").findElements(By.tagName("option")).stream().map(WebElement::getText).toList();
        assertTrue(tags.contains("研发组（1）"), tags.toString());
        page.select("root.tagid", "2");
        chip("root.userlist", "zhangsan").click();
        assertEquals(TestHost.json("{\"tagid\": 2, \"userlist\": [\"zhangsan\"]}"), TestHost.json(page.value()));
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        assertTrue(test.success("tag_get", "{\"tagid\": 2}").toString().contains("zhangsan"));

        // message_send: userids picked into the "|" list
        page.choose("message_send");
        chip("root.touser", "zhangsan").click();
        assertEquals("zhangsan", TestHost.json(page.value()).get("touser").asText());
        assertTrue(chip("root.touser", "zhangsan").getAttribute("class").contains("on"));
        chip("root.toparty", "2").click();
        chip("root.toparty", "3").click();
        assertEquals("2|3", TestHost.json(page.value()).get("toparty").asText());
    }

    @Test
    void screenshotOfATextcardMessageAndItsOutput() throws Exception {
        page.open();
        page.choose("message_send");
        page.select("root.msgtype", "textcard");
        fillTextcard();
        chip("root.touser", "zhangsan").click();
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        assertTrue(page.output().contains("msgid"));
        Path file = Path.of(System.getProperty("runtime.repo", ".."), "docs", "designer-desktop.png");
        page.screenshot(file);
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG at " + file.toAbsolutePath());

        // the same page on a phone, with a member picker
        page.resize(390, 844);
        try {
            page.choose("appchat_create");
            chip("root.userlist", "zhangsan").click();
            Path phone = Path.of(System.getProperty("runtime.repo", ".."), "docs", "designer-390.png");
            Files.write(phone, page.driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            assertTrue(Files.size(phone) > 10_000);
        } finally {
            page.resetSize();
        }
    }


    // --- issue points, one test each

    @Test
    void pickersOfferTheWholeCorpSearchableAndFillEmptyRows() {
        page.open();
        page.choose("user_create");
        page.addField("root.direct_leader");
        List<String> members = chipTexts("root.direct_leader");
        assertTrue(members.contains("张三（zhangsan） · 示例科技、研发部"), members.toString());
        assertTrue(members.contains("李四（lisi） · 研发部") && members.contains("王五（wangwu） · 市场部"),
                "members of every department, not only department 1's: " + members);

        // appchat_create opens with two empty rows: picks fill them rather than adding rows
        page.choose("appchat_create");
        chip("root.userlist", "zhangsan").click();
        chip("root.userlist", "wangwu").click();
        assertEquals(TestHost.json("{\"userlist\": [\"zhangsan\", \"wangwu\"]}"), TestHost.json(page.value()));
        // the picker searches names, userids and department names
        WebElement filter = page.field("root.userlist").findElement(By.cssSelector(".chip-filter"));
        page.js("arguments[0].value = '市场'; arguments[0].dispatchEvent(new Event('input'))", filter);
        assertEquals(List.of("王五（wangwu） · 市场部"), chipTexts("root.userlist"));
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());

        // school choices come from the school's own departments, by name
        page.choose("school_user_list");
        List<String> classes = page.field("root.department_id").findElements(By.tagName("option")).stream().map(WebElement::getText).toList();
        assertTrue(classes.stream().anyMatch(c -> c.contains("一年级1班（3）")), classes.toString());
        page.choose("school_user_get");
        assertFalse(chipTexts("root.userid").isEmpty(), "students of every class");
        String status = page.driver.findElement(By.id("choices-status")).getText();
        assertTrue(status.contains("/userid") && !status.contains("没有可选值"), status);
    }

    /** The picker's choices shown now (the search box hides the others). */
    private static List<String> chipTexts(String path) {
        return page.field(path).findElements(By.cssSelector(".chip")).stream()
                .filter(WebElement::isDisplayed).map(e -> e.getText().trim()).toList();
    }

    @Test
    void formsShowTheChosenTypesFieldsAndNothingOptionalUntilAdded() {
        page.open();
        page.choose("message_send");
        page.select("root.msgtype", "template_card");
        page.select("root.template_card.card_type", "text_notice");
        page.waitFor("the card's fields", () -> page.isShown("root.template_card.card_action"));
        assertFalse(page.isShown("root.template_card.button_list"), "a button_interaction field is not shown for text_notice");
        assertFalse(offered("root.template_card", "image_text_area"), "nor offered in the add-field list");
        assertTrue(offered("root.template_card", "sub_title_text"), "what text_notice allows is offered");
        page.select("root.template_card.card_type", "news_notice");
        page.waitFor("news_notice's fields", () -> offered("root.template_card", "image_text_area"));
        assertFalse(offered("root.template_card", "sub_title_text"));

        // news: only required fields are shown; filling them sends exactly them
        page.select("root.msgtype", "news");
        page.waitFor("the news form", () -> page.isShown("root.news.articles.0.title"));
        assertFalse(page.isShown("root.news.articles.0.appid"), "appid is not pre-ticked");
        assertFalse(page.isShown("root.news.articles.0.pagepath"));
        page.type("root.news.articles.0.title", "中秋节礼品领取");
        page.type("root.news.articles.0.url", "https://example.com/gift");
        page.type("root.touser", "zhangsan");
        assertEquals(TestHost.json("""
                {"touser": "zhangsan", "msgtype": "news",
                 "news": {"articles": [{"title": "中秋节礼品领取", "url": "https://example.com/gift"}]}}"""), TestHost.json(page.value()));
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());

        // required fields are marked, for eyes and screen readers
        page.choose("user_create");
        WebElement userid = page.driver.findElement(By.name("root[userid]"));
        assertEquals("true", userid.getAttribute("aria-required"));
        assertTrue(page.field("root.userid").findElement(By.tagName("label")).getAttribute("class").contains("required"));
        assertEquals(null, page.driver.findElement(By.name("root[mobile]")).getAttribute("aria-required"), "one of mobile / email: not required alone");
    }

    @Test
    void errorsAreInWordsAtTheirFieldsInTheChosenLanguage() {
        page.open();
        page.choose("user_create");
        long before = test.requests("/cgi-bin/user/create");
        page.type("root.userid", "-bad");
        page.type("root.name", "坏账号");
        page.type("root.mobile", "12345");
        page.clickExecute();
        assertEquals("error", page.result());
        assertTrue(fieldError("root.userid").contains("只能由数字、字母和 _-@. 组成，且以数字或字母开头"), fieldError("root.userid"));
        assertTrue(fieldError("root.mobile").contains("11 位数字"), fieldError("root.mobile"));
        assertFalse(page.errorBox().contains("^[") || page.errorBox().contains("regex"), page.errorBox());
        assertTrue(page.errorBox().contains("输入有误"), "the summary in Chinese: " + page.errorBox());
        assertEquals("true", page.driver.findElement(By.name("root[userid]")).getAttribute("aria-invalid"));

        // one of mobile / email: one message, at both fields, said once in the summary
        page.open();
        page.js("const l = document.getElementById('lang'); l.value = 'en'; l.dispatchEvent(new Event('change'))");
        page.choose("user_create");
        page.type("root.userid", "nomobile");
        page.type("root.name", "No Mobile");
        page.clickExecute();
        String atMobile = fieldError("root.mobile");
        assertTrue(atMobile.contains("fill in at least one of"), atMobile);
        assertEquals(atMobile, fieldError("root.email"));
        assertEquals(1, page.driver.findElements(By.cssSelector("#error .field-errors li")).size(), page.errorBox());
        assertTrue(page.errorBox().contains("Input is invalid (1 error)"), page.errorBox());
        assertEquals(before, test.requests("/cgi-bin/user/create"), "nothing was sent");

        // an upstream errcode that names a field is shown at it, with its hint
        page.open();
        page.choose("user_create");
        page.type("root.userid", "zhangsan");
        page.type("root.name", "张三");
        page.type("root.mobile", "13800009999");
        page.clickExecute();
        assertEquals("60102", page.driver.findElement(By.cssSelector("#error .errcode")).getText());
        String atUserid = fieldError("root.userid");
        assertTrue(atUserid.contains("UserID 已被占用") && atUserid.contains("Choose a different userid"), atUserid);
    }

    @Test
    void inputsFitTheirValues() throws Exception {
        page.open();
        // Unix seconds: a local date-time picker
        page.choose("schedule_add");
        WebElement start = page.driver.findElement(By.name("root[schedule][start_time]"));
        assertEquals("datetime-local", start.getAttribute("type"));
        page.js("arguments[0].value = '2026-01-05T10:00'; arguments[0].dispatchEvent(new Event('change'))", start);
        long expected = ((Number) page.js("return new Date(2026, 0, 5, 10, 0).getTime() / 1000")).longValue();
        assertEquals(expected, TestHost.json(page.value()).at("/schedule/start_time").asLong());
        assertTrue(Math.abs(expected - 1767607200L) <= 14 * 3600, "2026-01-05 10:00 in some time zone: " + expected);

        // colours: a colour input
        page.choose("calendar_add");
        assertEquals("color", page.driver.findElement(By.name("root[calendar][color]")).getAttribute("type"));

        // booleans in the chosen language
        page.choose("user_create");
        page.addField("root.to_invite");
        assertEquals(List.of("是", "否"), options("root.to_invite"));
        page.js("const l = document.getElementById('lang'); l.value = 'en'; l.dispatchEvent(new Event('change'))");
        page.waitForForm("user_create");
        page.addField("root.to_invite");
        assertEquals(List.of("Yes", "No"), options("root.to_invite"));
        page.js("const l = document.getElementById('lang'); l.value = 'zh'; l.dispatchEvent(new Event('change'))");
        page.waitForForm("user_create");

        // media_upload: a file chooser (base64 in the browser), the type's size limit checked before sending
        page.choose("media_upload");
        page.select("root.type", "file");
        Path png = Files.createTempFile("logo", ".png");
        byte[] bytes = new byte[2048];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(png, bytes);
        page.driver.findElement(By.id("upload-file")).sendKeys(png.toString());
        page.waitFor("the file in the form", () -> TestHost.json(page.value()).has("content"));
        JsonNode value = TestHost.json(page.value());
        assertEquals(java.util.Base64.getEncoder().encodeToString(bytes), value.get("content").asText());
        assertEquals(png.getFileName().toString(), value.get("filename").asText());
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());

        long uploads = test.requests("/cgi-bin/media/upload");
        page.select("root.type", "voice");
        Path big = Files.createTempFile("long", ".amr");
        Files.write(big, new byte[2 * 1024 * 1024 + 1]);
        page.driver.findElement(By.id("upload-file")).sendKeys(big.toString());
        page.waitFor("the size error", () -> !fieldError("root.content").isEmpty());
        assertTrue(fieldError("root.content").contains("2 MB"), fieldError("root.content"));

        // text that is not base64 is refused by the server, not uploaded as junk
        page.choose("media_upload");
        page.type("root.filename", "note.txt");
        page.type("root.content", "这不是 base64!");
        page.clickExecute();
        assertEquals("error", page.result());
        assertTrue(fieldError("root.content").contains("base64"), fieldError("root.content"));
        assertEquals(uploads, test.requests("/cgi-bin/media/upload"), "nothing was uploaded");
        Files.deleteIfExists(png);
        Files.deleteIfExists(big);
    }

    @Test
    void theResultIsEasyToWorkWith() {
        page.open();
        page.choose("user_get");
        // the output schema as a tree, before running
        assertTrue(page.driver.findElement(By.cssSelector("#output-tree li[data-pointer='/name']")).getAttribute("textContent").contains("成员名称"));
        assertFalse(page.driver.findElements(By.cssSelector("#output-tree li[data-pointer='/extattr/attrs/0/name']")).isEmpty(), "nested fields");
        // fill with the descriptor's example; copy as JSON and as curl
        page.driver.findElement(By.id("fill-example")).click();
        assertEquals(test.host.action("user_get").orElseThrow().source().at("/examples/0/input"), TestHost.json(page.value()));
        page.driver.findElement(By.id("copy-curl")).click();
        page.waitFor("the copied text", () -> page.js("return document.getElementById('copied').dataset.text") != null);
        String curl = String.valueOf(page.js("return document.getElementById('copied').dataset.text"));
        assertTrue(curl.startsWith("curl -sS -X POST 'http://127.0.0.1:" + server.port() + "/api/actions/user_get/execute'"), curl);
        assertTrue(curl.contains("-H 'X-Connection: sandbox'") && curl.contains("--data-binary '{\"userid\":\"zhangsan\"}'"), curl);
        page.driver.findElement(By.id("copy-json")).click();
        page.waitFor("the copied JSON", () -> String.valueOf(page.js("return document.getElementById('copied').dataset.text")).startsWith("{"));
        assertEquals(TestHost.json("{\"userid\": \"zhangsan\"}"), TestHost.json(String.valueOf(page.js("return document.getElementById('copied').dataset.text"))));
        page.clickExecute();
        assertEquals("ok", page.result());
        assertEquals("result-heading", page.js("return document.activeElement.id"), "focus moves to the result");

        // all pages, for paging actions only
        assertFalse(page.driver.findElement(By.id("all-pages")).isDisplayed());
        page.choose("externalcontact_groupchat_list");
        page.js("window.__urls = []; const f = window.fetch; window.fetch = (u, o) => { window.__urls.push(String(u)); return f(u, o); }");
        page.type("root.limit", "1");
        page.driver.findElement(By.id("all-pages")).click();
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        assertTrue(String.valueOf(page.js("return window.__urls.join(' ')")).contains("/execute?allPages=true"));

        // a write on a connection that is not the sandbox asks first
        page.choose("tag_create");
        page.js("const c = document.getElementById('connection'); c.value = 'acme'; c.dispatchEvent(new Event('change'))");
        page.waitForForm("tag_create");
        page.type("root.tagname", "确认" + (System.nanoTime() % 100000));
        long creates = test.requests("/cgi-bin/tag/create");
        page.driver.findElement(By.id("execute")).click();
        page.waitFor("the confirmation", () -> isAlertShown());
        assertTrue(page.driver.switchTo().alert().getText().contains("acme"));
        page.driver.switchTo().alert().dismiss();
        assertEquals(creates, test.requests("/cgi-bin/tag/create"), "dismissed: nothing sent");
        page.driver.findElement(By.id("execute")).click();
        page.waitFor("the confirmation", () -> isAlertShown());
        page.driver.switchTo().alert().accept();
        page.waitFor("the result", () -> "ok".equals(page.result()) || "error".equals(page.result()));
        assertEquals("ok", page.result(), page.errorBox());
        assertEquals(creates + 1, test.requests("/cgi-bin/tag/create"));

        // recent runs: newest first; one opens its action with its input
        List<WebElement> runs = page.driver.findElements(By.cssSelector("#recent .recent-run"));
        assertEquals(List.of("tag_create", "externalcontact_groupchat_list", "user_get"),
                runs.stream().map(r -> r.getAttribute("data-action")).toList());
        runs.get(2).click();
        page.waitForForm("user_get");
        assertEquals(TestHost.json("{\"userid\": \"zhangsan\"}"), TestHost.json(page.value()));

        // the run button stays in view on a long form
        page.choose("user_create");
        for (String field : List.of("alias", "position", "telephone", "address", "nickname", "biz_mail", "external_position", "gender", "department")) {
            page.addField("root." + field);
        }
        page.js("window.scrollTo(0, 0)");
        assertTrue((Boolean) page.js("""
                const r = document.getElementById('execute').getBoundingClientRect();
                return document.documentElement.scrollHeight > window.innerHeight + 200 && r.top >= 0 && r.bottom <= window.innerHeight;"""),
                "the execute button is in view at the top of a long form");
    }

    @Test
    void usableAt390PixelsByKeyboardAndWithAScreenReader() {
        page.open();
        page.severeConsoleEntries(); // drain
        // every pattern of every form also compiles under the v flag, as Chromium checks input patterns
        @SuppressWarnings("unchecked")
        List<String> broken = (List<String>) page.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const broken = [];
                const walk = (node, where) => {
                  if (!node || typeof node !== 'object') return;
                  if (typeof node.pattern === 'string') { try { new RegExp(node.pattern, 'v'); } catch (e) { broken.push(where + ': ' + e.message); } }
                  Object.entries(node).forEach(([k, v]) => walk(v, where + '/' + k));
                };
                fetch('/api/actions').then(r => r.json()).then(list => Promise.all(list.map(a =>
                  fetch('/api/actions/' + a.id).then(r => r.json()).then(d => walk(d.ui.formSchema, a.id)))))
                  .then(() => done(broken), e => done(['failed: ' + e]));""");
        assertEquals(List.of(), broken);

        page.resize(390, 844);
        try {
            for (String id : List.of("user_create", "message_send", "schedule_add")) {
                page.choose(id);
                assertTrue((Boolean) page.js("return document.documentElement.scrollWidth <= window.innerWidth"),
                        id + " scrolls sideways at 390 px: " + page.js("return document.documentElement.scrollWidth"));
            }
            page.choose("user_create");
            page.type("root.userid", "-bad");
            WebElement userid = page.driver.findElement(By.name("root[userid]"));
            assertEquals("true", userid.getAttribute("aria-invalid"), "json-editor's own error is tied to the input");
            page.clickExecute();
            String described = userid.getAttribute("aria-describedby");
            assertTrue(described != null && described.contains("server-error"), described);
            assertTrue(page.driver.findElement(By.id(described.replaceAll(".*(server-error-\\d+).*", "$1"))).getText().contains("只能由数字"));
            // every control has a real name; no "root[mobile]-opt-in"
            @SuppressWarnings("unchecked")
            List<String> unnamed = (List<String>) page.js("""
                    return Array.from(document.querySelectorAll('input, select, textarea, button'))
                      .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                      .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
                        && !(e.tagName === 'BUTTON' && e.textContent.trim()))
                      .map(e => e.outerHTML.substring(0, 100));""");
            assertEquals(List.of(), unnamed);
            assertTrue(page.driver.findElements(By.cssSelector("[id$='-opt-in']")).isEmpty());
        } finally {
            page.resetSize();
        }

        // keyboard only: search, arrows through the palette, Enter picks
        page.open();
        page.severeConsoleEntries(); // drain (the 422 above is logged as a failed load)
        WebElement search = page.driver.findElement(By.id("search"));
        search.sendKeys("user_");
        search.sendKeys(Keys.ARROW_DOWN);
        String first = String.valueOf(page.js("return document.activeElement.closest('.action').dataset.action"));
        page.driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        String second = String.valueOf(page.js("return document.activeElement.closest('.action').dataset.action"));
        assertFalse(first.equals(second), first);
        page.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        page.waitForForm(second);
        assertEquals(List.of(), page.severeConsoleEntries());
    }

    @Test
    void triggersHaveTheirGroupTheirEventSchemaAndALiveListenPanel() {
        page.open();
        WebElement group = page.driver.findElement(By.cssSelector("#palette .group.triggers"));
        assertEquals(test.host.triggers().size(), group.findElements(By.cssSelector(".action[data-trigger]")).size(), "every trigger, in a group of its own");
        WebElement pick = group.findElement(By.cssSelector(".action[data-trigger='change_contact_create_user'] .pick"));
        page.js("arguments[0].scrollIntoView({block: 'center'})", pick);
        pick.click();
        page.waitFor("the trigger panel", () -> page.driver.findElement(By.id("trigger")).isDisplayed());
        assertEquals("新增成员事件", page.driver.findElement(By.id("trigger-title")).getText());
        assertFalse(page.driver.findElement(By.id("action")).isDisplayed());
        // the event's schema as a tree
        assertTrue(page.driver.findElement(By.cssSelector("#trigger-tree li[data-pointer='/UserID']")).getAttribute("textContent").contains("string"));
        // listening: sandbox by default; a member created through the API arrives as its event
        assertEquals("sandbox", page.driver.findElement(By.id("listen-connection")).getText());
        page.driver.findElement(By.id("listen")).click();
        page.waitFor("the stream", () -> "on".equals(page.js("return document.body.dataset.listening")));
        String userid = "heard" + (System.nanoTime() % 100000);
        test.success("user_create", "{\"userid\": \"" + userid + "\", \"name\": \"听到\", \"mobile\": \"1390000" + (System.nanoTime() % 9000 + 1000) + "\"}");
        new org.openqa.selenium.support.ui.WebDriverWait(page.driver, java.time.Duration.ofSeconds(30)).until(d ->
                d.findElement(By.id("events")).getAttribute("textContent").contains(userid));
        String shown = page.driver.findElement(By.id("events")).getAttribute("textContent");
        assertTrue(shown.contains("change_contact_create_user") && shown.contains("\"ChangeType\": \"create_user\""), shown);
        page.driver.findElement(By.id("listen")).click();
        assertEquals("off", page.js("return document.body.dataset.listening"));
        // back to an action by the palette
        page.choose("user_get");
        assertFalse(page.driver.findElement(By.id("trigger")).isDisplayed());
    }

    @Test
    void searchRanksIdsAndTitlesFirst() {
        page.open();
        assertEquals("schedule_add", firstAfterSearch("日程 创建"));
        assertEquals("user_get", firstAfterSearch("user_get"));
        assertEquals("user_create", firstAfterSearch("创建成员"));
        assertEquals("message_send", firstAfterSearch("send"));
    }

    private static String firstAfterSearch(String text) {
        WebElement search = page.driver.findElement(By.id("search"));
        search.clear();
        search.sendKeys(text);
        return String.valueOf(page.js("""
                const pick = Array.from(document.querySelectorAll('#palette .action')).find(a => !a.hidden && !a.closest('.group').hidden);
                return pick ? pick.dataset.action : null;"""));
    }

    private static boolean offered(String objectPath, String key) {
        return Boolean.TRUE.equals(page.js("""
                const box = designer.editor().getEditor(arguments[0]).addproperty_checkboxes[arguments[1]];
                const control = box && (box.closest('.form-control') || box.parentNode);
                return !!control && !control.hidden;""", objectPath, key));
    }

    private static List<String> options(String path) {
        return page.field(path).findElements(By.tagName("option")).stream().map(o -> o.getAttribute("textContent").strip())
                .filter(text -> !text.isEmpty()).toList();
    }

    private static boolean isAlertShown() {
        try {
            page.driver.switchTo().alert();
            return true;
        } catch (org.openqa.selenium.NoAlertPresentException e) {
            return false;
        }
    }

    // --- helpers

    private static void fillTextcard() {
        page.type("root.textcard.title", "领奖通知");
        page.type("root.textcard.description", "恭喜你抽中一台 iPhone");
        page.type("root.textcard.url", "https://example.com/notice/2025-01");
    }

    private static void searchShows(String text, String shown, String hidden) {
        WebElement search = page.driver.findElement(By.id("search"));
        search.clear();
        search.sendKeys(text);
        assertTrue(page.driver.findElement(By.cssSelector("#palette .action[data-action='" + shown + "']")).isDisplayed(), text);
        assertFalse(page.driver.findElement(By.cssSelector("#palette .action[data-action='" + hidden + "']")).isDisplayed(), text);
        search.clear();
        search.sendKeys(" ");
        search.clear();
        page.js("document.getElementById('search').dispatchEvent(new Event('input'))");
    }

    /** The server's message shown inside a field's container (empty when none). */
    private static String fieldError(String path) {
        return String.join(" ", page.field(path).findElements(By.className("field-error")).stream().map(WebElement::getText).toList());
    }

    private static WebElement chip(String path, String value) {
        WebElement chip = page.driver.findElement(By.cssSelector(".choice-chips[data-path='" + path + "'] .chip[data-value='" + value + "']"));
        page.js("arguments[0].scrollIntoView({block: 'center'})", chip); // not under the sticky run buttons
        return chip;
    }

    private static List<Integer> list(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }
}
