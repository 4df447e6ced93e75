package org.mcsfhir.server.tier;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import org.mcsfhir.server.McsFhirApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The middle test tier (docs/testing.md): the whole application, started in the test JVM on an in-memory H2 database
 * and a random loopback port, talked to over real HTTP. Every context test extends this class and adds no Spring
 * configuration of its own, so Spring's context cache starts the server once per test JVM rather than once per class.
 * The settings are the minimum that differs from an operator's defaults: the database lives in memory and the one
 * browser origin of the CORS tests is allowed. No issuer is set, so the server runs in open mode on loopback, as the
 * shared server of the packaged-jar ITs does; MLLP stays off (port 0).
 */
@SpringBootTest(
        classes = McsFhirApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:mcs-context;DB_CLOSE_DELAY=-1",
            "mcs.data-dir=target/context-data",
            "mcs.fhir.cors.allowed-origins=" + ContextTest.ALLOWED_ORIGIN
        })
public abstract class ContextTest {

    /** The one browser origin the context's server allows (CORS). */
    public static final String ALLOWED_ORIGIN = "https://app.example.org";

    @LocalServerPort
    private int port;

    /** {@code http://127.0.0.1:<port>}, for paths outside {@code /fhir} (telemetry, dashboard). */
    protected String root() {
        return "http://127.0.0.1:" + port;
    }

    protected String fhirBase() {
        return root() + "/fhir";
    }

    protected int port() {
        return port;
    }

    /** A REST Assured request against the FHIR base, JSON by default. */
    protected RequestSpecification fhir() {
        return RestAssured.given(new RequestSpecBuilder()
                .setBaseUri(fhirBase())
                .setContentType("application/fhir+json")
                .setAccept("application/fhir+json")
                .build());
    }

    /** A REST Assured request against the server root, no defaults. */
    protected RequestSpecification http() {
        return RestAssured.given().baseUri(root());
    }
}
