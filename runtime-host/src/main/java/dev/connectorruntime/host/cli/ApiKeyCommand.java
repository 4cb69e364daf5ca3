package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.http.ApiKeys;
import dev.connectorruntime.host.http.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "api-key", description = {
        "Make a new API key: prints the key (give it to the caller; it is not stored) and the entry for the keys file (its hash)."})
final class ApiKeyCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "The key's name (appears in logs).")
    String name;

    @Option(names = "--connection", paramLabel = "<name>", description = "A connection the key may use; repeatable; * for all (default *).")
    List<String> connections = new ArrayList<>();

    @Option(names = "--scope", paramLabel = "<scope>",
            description = "write, raw-call, test-connections or manage-connections; repeatable (default: none, reads only).")
    List<String> scopes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String key = ApiKeys.newKey();
        ObjectNode entry = new ObjectMapper().createObjectNode().put("name", name).put("sha256", ApiKeys.hash(key));
        (connections.isEmpty() ? List.of("*") : connections).forEach(entry.withArray("connections")::add);
        scopes.forEach(s -> entry.withArray("scopes").add(Scope.fromFileName(s).fileName()));
        if (scopes.isEmpty()) {
            entry.putArray("scopes");
        }
        ObjectNode out = new ObjectMapper().createObjectNode().put("key", key);
        out.set("entry", entry);
        System.out.println(out.toPrettyString());
        return 0;
    }
}
