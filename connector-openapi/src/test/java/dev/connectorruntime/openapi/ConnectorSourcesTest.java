package dev.connectorruntime.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A connectors folder: connector files with their documents, documents alone, and files of others. */
class ConnectorSourcesTest {

    @Test
    void connectorFilesAndDocumentsNoConnectorFileNames() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(TestDocuments.folder())) {
            files = listed.sorted().toList();
        }
        List<String> ids = ConnectorSources.select(files).stream().map(ConnectorFile::id).toList();
        assertEquals(List.of("museum", "paypal", "petstore", "twilio", "oai-non-oauth-scopes"), ids,
                "NOTICE.md and the documents the connector files name are not connectors of their own");
    }

    @Test
    void aDocumentAloneTakesItsIdFromTheFileName() {
        ConnectorFile file = ConnectorFile.forDocument(Path.of("/tmp/My API.openapi.yaml"));
        assertEquals("my-api", file.id());
        assertEquals(Path.of("/tmp/My API.openapi.yaml"), file.document());
    }
}
