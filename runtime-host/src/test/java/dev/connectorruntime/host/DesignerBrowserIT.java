package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.spi.ActionDescriptor;
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
import org.openqa.selenium.WebElement;

/**
 * The designer page served at {@code /}, in headless Chromium against a real API server and the WeCom
 * sandbox: compose and execute a message, field errors at their fields, every action's form, dynamic
 * choices, and the screenshot in {@code docs/designer.png}.
 */
class DesignerBrowserIT {
    private static TestHost test;
    private static ApiServer server;
    private static DesignerPage page;

    @BeforeAll
    static void start() {
        test = TestHost.start();
        server = ApiServer.start(test.host, null, ApiServer.Settings.local());
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
        assertTrue(urlError.contains("https?://"), urlError);
        assertFalse(fieldError("root.touser").isEmpty(), "a missing receiver is shown at touser, which is not ticked yet");
        assertTrue(page.driver.findElements(By.cssSelector("[data-schemapath='root.textcard.title'] .field-error")).isEmpty());
        assertEquals(requests, test.requests("/cgi-bin/message/send"), "nothing was sent");

        // Fixing a field removes its message; a valid form then runs.
        page.type("root.textcard.url", "https://example.com/notice");
        page.waitFor("the url error to go", () -> page.field("root.textcard.url").findElements(By.className("field-error")).isEmpty());
        assertFalse(fieldError("root.touser").isEmpty(), "untouched fields keep theirs");
        page.type("root.touser", "zhangsan");
        page.clickExecute();
        assertEquals("ok", page.result(), page.errorBox());
        assertTrue(page.driver.findElements(By.cssSelector("#form .field-error")).isEmpty());

        // An empty required field, in English.
        page.open();
        page.js("const l = document.getElementById('lang'); l.value = 'en'; l.dispatchEvent(new Event('change'))");
        page.choose("user_get");
        page.clickExecute();
        assertEquals("error", page.result());
        assertTrue(fieldError("root.userid").contains("must be at least"), fieldError("root.userid"));
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
        List<String> ids = (List<String>) page.js("return Array.from(document.querySelectorAll('#palette .action')).map(e => e.dataset.action)");
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
                    const fields = ['root'].concat(arguments[0].map(p => 'root.' + p));
                    const missing = fields.filter(p => !document.querySelector('#form [data-schemapath="' + p + '"]'));
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
        List<String> departments = page.field("root.department").findElements(By.cssSelector("label:has(> input.je-checkbox)"))
                .stream().map(e -> e.getText().trim()).toList();
        assertTrue(departments.containsAll(List.of("1", "2", "3", "4")), departments.toString());
        String userid = "designer" + (System.nanoTime() % 100000);
        page.type("root.userid", userid);
        page.type("root.name", "设计器");
        page.type("root.mobile", "1380013" + (System.nanoTime() % 10000 + 10000));
        page.addField("root.department");
        page.field("root.department").findElements(By.cssSelector("label:has(> input.je-checkbox)")).stream()
                .filter(l -> l.getText().trim().equals("2")).findFirst().orElseThrow().click();
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
        Path file = Path.of(System.getProperty("runtime.repo", ".."), "docs", "designer.png");
        page.screenshot(file);
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG at " + file.toAbsolutePath());
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
        return page.driver.findElement(By.cssSelector(".choice-chips[data-path='" + path + "'] .chip[data-value='" + value + "']"));
    }

    private static List<Integer> list(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }
}
