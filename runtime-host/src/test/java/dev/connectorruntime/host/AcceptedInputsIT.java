package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input that WeCom accepts is never rejected: what it truncates is sent with a warning, any link text
 * passes (one without http:// or https:// with a warning), real links without one.
 */
@ExtendWith(TestHostExtension.class)
class AcceptedInputsIT {
    private final TestHost test;

    AcceptedInputsIT(TestHost test) {
        this.test = test;
    }

    private JsonNode lastBody() {
        JsonNode all = test.recentRequests();
        return all.get(all.size() - 1).get("body");
    }

    private ExecutionResult.Success succeed(String action, String input) {
        ExecutionResult result = test.execute(action, input);
        if (result instanceof ExecutionResult.Failure failure) {
            throw new AssertionError(action + " failed: " + ErrorJson.of(failure.error()));
        }
        return (ExecutionResult.Success) result;
    }

    @Test
    void aFieldWeComTruncatesIsSentAsGivenWithAWarning() {
        String content = "通".repeat(700); // 2100 bytes in UTF-8: over the 2048 WeCom keeps
        ExecutionResult.Success sent = succeed("message_send", """
                {"touser": "zhangsan", "msgtype": "textcard", "agentid": 1000002,
                 "textcard": {"title": "领奖通知", "description": "恭喜", "url": "https://example.com/a", "btntxt": "查看更多详情"}}""");
        assertEquals("查看更多详情", lastBody().at("/textcard/btntxt").asText());
        List<FieldError> warnings = sent.warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("/textcard/btntxt", warnings.get(0).pointer());
        assertEquals("truncated", warnings.get(0).rule());
        assertTrue(warnings.get(0).message().contains("4"), warnings.get(0).message());

        ExecutionResult.Success text = succeed("message_send",
                "{\"touser\": \"zhangsan\", \"msgtype\": \"text\", \"agentid\": 1000002, \"text\": {\"content\": \"" + content + "\"}}");
        assertEquals(content, lastBody().at("/text/content").asText());
        assertEquals(List.of("/text/content"), text.warnings().stream().map(FieldError::pointer).toList());

        ExecutionResult.Success news = succeed("appchat_send", """
                {"chatid": "chat_demo", "msgtype": "news", "news": {"articles": [
                  {"title": "短标题", "url": "https://example.com/1"},
                  {"title": "%s", "url": "https://example.com/2"}]}}""".formatted("长".repeat(50)));
        assertEquals(List.of("/news/articles/1/title"), news.warnings().stream().map(FieldError::pointer).toList());
    }

    @Test
    void withinTheLimitsThereIsNoWarning() {
        ExecutionResult.Success sent = succeed("message_send", """
                {"touser": "zhangsan", "msgtype": "textcard", "agentid": 1000002,
                 "textcard": {"title": "领奖通知", "description": "恭喜", "url": "https://example.com/a", "btntxt": "更多"}}""");
        assertEquals(List.of(), sent.warnings());
    }

    @Test
    void aRealLinkWithChineseCharactersIsAcceptedWithoutWarning() {
        ExecutionResult.Success sent = succeed("message_send", """
                {"touser": "zhangsan", "msgtype": "textcard", "agentid": 1000002,
                 "textcard": {"title": "活动报名", "description": "点击报名", "url": "https://example.com/活动?id=1"}}""");
        assertEquals("https://example.com/活动?id=1", lastBody().at("/textcard/url").asText());
        assertEquals(List.of(), sent.warnings());
    }

    @Test
    void aLinkWithoutItsProtocolHeaderIsSentAsGivenWithAWarning() {
        // The doc's own textcard example writes "url": "URL"; WeCom takes it, the link just will not open.
        ExecutionResult.Success card = succeed("message_send", """
                {"touser": "zhangsan", "msgtype": "textcard", "agentid": 1000002,
                 "textcard": {"title": "领奖通知", "description": "恭喜", "url": "URL", "btntxt": "更多"}}""");
        assertEquals("URL", lastBody().at("/textcard/url").asText());
        assertEquals(1, card.warnings().size(), card.warnings().toString());
        FieldError warning = card.warnings().get(0);
        assertEquals("/textcard/url", warning.pointer());
        assertEquals("protocol", warning.rule());
        assertTrue(warning.message().contains("企业微信") && warning.message().contains("http://")
                && warning.message().contains("https://") && warning.message().contains("无法打开"), warning.message());

        ExecutionResult.Success news = succeed("appchat_send", """
                {"chatid": "chat_demo", "msgtype": "news", "news": {"articles": [
                  {"title": "中秋节礼品领取", "url": "https://example.com/1", "picurl": "HTTPS://example.com/a.png"},
                  {"title": "活动", "url": "example.com/活动", "picurl": "图片的url"}]}}""");
        assertEquals("example.com/活动", lastBody().at("/news/articles/1/url").asText());
        assertEquals(List.of("/news/articles/1/url", "/news/articles/1/picurl"),
                news.warnings().stream().map(FieldError::pointer).sorted(java.util.Comparator.reverseOrder()).toList());

        // Links inside a template card's shared parts ($defs, chosen by card_type) are found too.
        ExecutionResult.Success card2 = succeed("message_send", """
                {"touser": "zhangsan", "msgtype": "template_card", "agentid": 1000002, "template_card": {
                  "card_type": "text_notice", "source": {"icon_url": "图片的url", "desc": "企业微信"},
                  "main_title": {"title": "欢迎使用企业微信"},
                  "card_action": {"type": 1, "url": "work.weixin.qq.com"}}}""");
        assertEquals(List.of("/template_card/card_action/url", "/template_card/source/icon_url"),
                card2.warnings().stream().map(FieldError::pointer).sorted().toList());

        ExecutionResult english = test.host.execute("message_send", TestHost.json("""
                {"touser": "zhangsan", "msgtype": "textcard", "agentid": 1000002,
                 "textcard": {"title": "t", "description": "d", "url": "www.example.com"}}"""),
                ExecuteOptions.DEFAULTS.withLocale(java.util.Locale.ENGLISH));
        String message = ((ExecutionResult.Success) english).warnings().get(0).message();
        assertEquals("/textcard/url: WeCom needs the protocol header http:// or https://; this link will not open", message);
    }

    @Test
    void anEmptyLinkIsStillRejectedAtItsField() {
        ExecutionResult result = test.execute("message_send", """
                {"touser": "zhangsan", "msgtype": "textcard", "agentid": 1000002,
                 "textcard": {"title": "领奖通知", "description": "恭喜", "url": ""}}""");
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class, result);
        assertTrue(failure.error().fieldErrors().stream().anyMatch(e -> e.pointer().equals("/textcard/url") && e.rule().equals("minLength")),
                failure.error().fieldErrors().toString());
    }

    @Test
    void aSinglePageAppSignsLocationHrefWithItsFragmentStripped() throws Exception {
        ExecutionResult.Success signed = succeed("get_agent_jsapi_ticket",
                "{\"type\": \"agent_config\", \"url\": \"https://app.example.com/spa/index.html?from=menu#/orders/42\"}");
        JsonNode out = signed.output();
        assertEquals("https://app.example.com/spa/index.html?from=menu", out.get("url").asText());
        String plain = "jsapi_ticket=" + out.get("ticket").asText() + "&noncestr=" + out.get("noncestr").asText()
                + "&timestamp=" + out.get("timestamp").asLong() + "&url=https://app.example.com/spa/index.html?from=menu";
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.util.HexFormat.of().formatHex(sha1), out.get("signature").asText());
        JsonNode ticketRequest = test.recentRequests().get(test.recentRequests().size() - 1);
        assertEquals(TestHost.json("{\"type\": \"agent_config\"}"), ticketRequest.get("query"));
    }

    @Test
    void integerIdsFromOneActionFeedAStringTypedFieldOfAnotherAsWeComTypesIt() {
        succeed("externalcontact_message_send", """
                {"recv_scope": 0, "to_party": [3, "3"], "msgtype": "text", "text": {"content": "家长会通知"}}""");
        assertEquals(TestHost.json("[\"3\", \"3\"]"), lastBody().get("to_party"));
        succeed("message_send", """
                {"toparty": 2, "totag": 1, "msgtype": "text", "agentid": 1000002, "text": {"content": "部门通知"}}""");
        assertEquals("2", lastBody().get("toparty").textValue());
        assertEquals("1", lastBody().get("totag").textValue());
    }

    @Test
    void recipientIdsWeComDoesNotKnowAreSentAsGivenAsInTheDocsExamples() {
        succeed("message_send", """
                {"touser": "zhangsan", "toparty": "PartyID1|PartyID2", "totag": "TagID1 | TagID2",
                 "msgtype": "text", "agentid": 1000002, "text": {"content": "你的快递已到"}}""");
        assertEquals("PartyID1|PartyID2", lastBody().get("toparty").textValue());
        assertEquals("TagID1 | TagID2", lastBody().get("totag").textValue());
    }

    @Test
    void anIntegerWrittenAsOnePointZeroIsSentAsAnInteger() {
        succeed("department_get", "{\"id\": 2.0}");
        JsonNode all = test.recentRequests();
        assertEquals("2", all.get(all.size() - 1).at("/query/id").asText());
        succeed("externalcontact_groupchat_list", "{\"limit\": 10.0}");
        assertTrue(lastBody().get("limit").isIntegralNumber(), lastBody().toString());
        assertEquals("{\"limit\":10}", lastBody().toString());
    }

    @Test
    void aMiniprogramNoticeGetsNoAgentidFromTheConnection() {
        succeed("message_send", """
                {"touser": "zhangsan", "msgtype": "miniprogram_notice",
                 "miniprogram_notice": {"appid": "wx123123123123123", "title": "会议室预订成功通知"}}""");
        assertFalse(lastBody().has("agentid"), lastBody().toString());
        succeed("message_send", "{\"touser\": \"zhangsan\", \"msgtype\": \"text\", \"text\": {\"content\": \"hi\"}}");
        assertEquals(1000002, lastBody().get("agentid").asInt());
    }
}
