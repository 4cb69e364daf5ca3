package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Corps created since 2023-12-01 call 家校沟通 and 客户联系 with a self-built app, not the system apps'
 * secrets; older corps may keep them, as the connection says. The sandbox plays a new corp unless told.
 */
@ExtendWith(TestHostExtension.class)
class NewCorpSecretsIT {
    private static final String SCHOOL_SECRET = "sandbox-school-secret";
    private static final String EXTERNALCONTACT_SECRET = "sandbox-externalcontact-secret";
    private final TestHost test;

    NewCorpSecretsIT(TestHost test) {
        this.test = test;
    }

    /** A connection holding every secret, as the old form asked users to fill it. */
    private String everySecret(String name, boolean legacy) {
        ObjectNode connection = test.connection();
        connection.put("name", name);
        ((ObjectNode) connection.get("secrets")).put("school", SCHOOL_SECRET).put("externalcontact", EXTERNALCONTACT_SECRET);
        if (legacy) {
            connection.put("legacySystemSecrets", true);
        }
        try {
            test.host.addConnection(connection);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return name;
    }

    private ExecutionResult run(String connection, String action, String input) {
        return test.host.execute(action, TestHost.json(input), ExecuteOptions.DEFAULTS.withConnection(connection));
    }

    private JsonNode last() {
        JsonNode all = test.recentRequests();
        return all.get(all.size() - 1);
    }

    private void olderCorp() {
        test.admin.call("POST", "/sandbox/config", "{\"systemSecretsAccepted\": true}");
    }

    @Test
    void homeSchoolAndCustomerContactActionsOfANewCorpUseTheAppSecret() {
        String connection = everySecret("new-corp", false);
        assertInstanceOf(ExecutionResult.Success.class, run(connection, "school_department_list", "{}"));
        assertEquals("app", last().get("secretKind").asText());
        assertInstanceOf(ExecutionResult.Success.class, run(connection, "externalcontact_groupchat_list", "{\"limit\": 10}"));
        assertEquals("app", last().get("secretKind").asText());
        assertInstanceOf(ExecutionResult.Success.class, run(connection, "add_join_way",
                "{\"scene\": 2, \"chat_id_list\": [\"wr_demo_groupchat\"]}"));
        assertEquals("app", last().get("secretKind").asText());
    }

    @Test
    void theSchoolNoticeCarriesTheAgentidOfTheAppWhoseTokenIsUsed() {
        ExecutionResult result = test.execute("externalcontact_message_send", """
                {"recv_scope": 0, "to_parent_userid": ["parent_demo"], "msgtype": "text", "text": {"content": "明天家长会"}}""");
        assertInstanceOf(ExecutionResult.Success.class, result, () -> String.valueOf(result));
        assertEquals("app", last().get("secretKind").asText());
        assertEquals(test.connection().get("agentId").asLong(), last().at("/body/agentid").asLong());
    }

    @Test
    void anAgentidOfAnotherAppIsRefusedAndTheHintSaysWhichAgentidToUse() {
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class, test.execute("externalcontact_message_send", """
                {"to_parent_userid": ["parent_demo"], "msgtype": "text", "agentid": 1000099, "text": {"content": "明天家长会"}}"""));
        assertEquals("301002", failure.error().upstreamCode());
        assertTrue(failure.error().hint().contains("agentId") && failure.error().hint().contains("secrets.app"), failure.error().hint());
    }

    @Test
    void anOlderCorpKeepsTheSystemSecretsWhenItsConnectionSaysSo() {
        olderCorp();
        String connection = everySecret("older-corp", true);
        assertInstanceOf(ExecutionResult.Success.class, run(connection, "school_department_list", "{}"));
        assertEquals("school", last().get("secretKind").asText());
        assertInstanceOf(ExecutionResult.Success.class, run(connection, "externalcontact_groupchat_list", "{\"limit\": 10}"));
        assertEquals("externalcontact", last().get("secretKind").asText());
    }

    @Test
    void withoutTheAppSecretTheErrorNamesTheAppAndTheAdminPageNotTheSystemSecret() throws Exception {
        ObjectNode connection = test.connection();
        connection.put("name", "school-only");
        ((ObjectNode) connection.get("secrets")).removeAll().put("school", SCHOOL_SECRET);
        test.host.addConnection(connection);
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class,
                run("school-only", "school_user_get", "{\"userid\": \"student_demo\"}"));
        assertEquals(ErrorCode.MISSING_CREDENTIAL, failure.error().code());
        assertTrue(failure.error().message().contains("secrets.app"), failure.error().message());
        assertTrue(failure.error().hint().contains("家校沟通"), failure.error().hint());
        assertFalse(failure.error().hint().contains("secrets.school"), failure.error().hint());
        assertEquals(0, test.admin.apiRequests());
    }

    @Test
    void aPermissionErrorOfANewCorpPointsAtTheCallableAppNotAtTheSystemSecret() {
        String connection = everySecret("wrongly-legacy", true);
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class, run(connection, "get_join_way",
                "{\"config_id\": \"jw_demo\"}"));
        assertEquals("48002", failure.error().upstreamCode());
        assertTrue(failure.error().hint().contains("可调用接口的应用"), failure.error().hint());
        assertFalse(failure.error().hint().contains("secrets.externalcontact"), failure.error().hint());
    }

    @Test
    void testConnectionChecksWhichSecretTheCorpUses() throws Exception {
        List<CredentialCheck> unused = test.host.testConnection(everySecret("unused", false));
        CredentialCheck school = unused.stream().filter(c -> c.kind().equals("school")).findFirst().orElseThrow();
        assertFalse(school.ok());
        assertTrue(school.error().message().contains("legacySystemSecrets"), school.error().message());

        List<CredentialCheck> refused = test.host.testConnection(everySecret("legacy-on-new-corp", true));
        CredentialCheck refusedSchool = refused.stream().filter(c -> c.kind().equals("school")).findFirst().orElseThrow();
        assertFalse(refusedSchool.ok());
        assertEquals("48002", refusedSchool.error().upstreamCode());

        olderCorp();
        List<CredentialCheck> accepted = test.host.testConnection("legacy-on-new-corp");
        assertTrue(accepted.stream().allMatch(CredentialCheck::ok), accepted.toString());
        assertEquals(4, accepted.size());
    }
}
