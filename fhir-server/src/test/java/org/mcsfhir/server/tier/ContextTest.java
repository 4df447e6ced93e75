package org.mcsfhir.server.tier;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
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

    /** One context, so one port, per test JVM; static so that {@code @BeforeAll} methods can make requests too. */
    private static volatile int port;

    /** The background thread of {@code validation.ValidatorWarmUp}, which loads the validator after start-up. */
    private static final String VALIDATOR_WARM_UP_THREAD = "validator-warm-up";

    @BeforeAll
    static void rememberPort(@LocalServerPort int localPort) throws InterruptedException {
        port = localPort;
        awaitValidatorWarmUp();
    }

    /**
     * Tests that time an answer (limits, errors) must meet the server as a client meets it after start-up, not while
     * the validator is still loading on its warm-up thread (a packaged-jar IT never ran first on a fresh server).
     */
    private static void awaitValidatorWarmUp() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(VALIDATOR_WARM_UP_THREAD)) {
                thread.join(Duration.ofMinutes(5).toMillis());
            }
        }
    }

    /** {@code http://127.0.0.1:<port>}, for paths outside {@code /fhir} (telemetry, dashboard). */
    protected static String root() {
        return "http://127.0.0.1:" + port;
    }

    protected static String fhirBase() {
        return root() + "/fhir";
    }

    /** A REST Assured request against the FHIR base, JSON by default. */
    protected static RequestSpecification fhir() {
        return RestAssured.given(new RequestSpecBuilder()
                .setBaseUri(fhirBase())
                .setContentType("application/fhir+json")
                .setAccept("application/fhir+json")
                .build());
    }

    /** A REST Assured request against the server root, no defaults. */
    protected static RequestSpecification http() {
        return RestAssured.given().baseUri(root());
    }
}
