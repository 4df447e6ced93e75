package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.TestServer;

/**
 * Legitimate large bodies that pass the request body limits are stored, on each database (docs/security.md, "Request
 * body limits"). The limits' refusals, which never reach the database, are tested in the context tier:
 * fhir-server's {@code limits/RequestLimitsContextTest} (docs/testing.md).
 */
class RequestLimitsIT {

    static final String JSON = "application/fhir+json";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void largeBase64Data_isStored() throws Exception {
        String binary = "{\"resourceType\":\"Binary\",\"contentType\":\"application/pdf\",\"data\":\""
                + "JVBERi0x".repeat(400_000) + "\"}";
        HttpResponse<String> answer = post("/Binary", binary);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    }

    @Test
    void aLargeCollectionBundle_isStored() throws Exception {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
        for (int i = 0; i < 5_000; i++) {
            bundle.append(i == 0 ? "" : ",")
                    .append("{\"fullUrl\":\"urn:uuid:00000000-0000-0000-0000-")
                    .append(String.format("%012d", i))
                    .append("\",\"resource\":{\"resourceType\":\"Basic\",")
                    .append("\"code\":{\"coding\":[{\"system\":\"urn:example\",\"code\":\"c")
                    .append(i)
                    .append("\"}]}}}");
        }
        bundle.append("]}");
        HttpResponse<String> stored = post("/Bundle", bundle.toString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestServer.get().fhirBase() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", JSON)
                .header("Accept", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
