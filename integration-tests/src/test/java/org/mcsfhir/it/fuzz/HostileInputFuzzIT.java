package org.mcsfhir.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.fuzz.HostileCases.Case;
import org.mcsfhir.it.fuzz.RawHttp.Answer;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * The hostile-input corpus of {@link HostileCases} (fixed seed, {@code -Dmcs.fuzz.seed} to vary it) against the
 * packaged jar. Every answer must be a 4xx or 2xx, never a 5xx or silence; every error must be a FHIR
 * OperationOutcome with an MCS code and no internals (class names, SQL); every resource it managed to store must read
 * back in JSON and XML; the server must keep answering a small request within a second throughout, and its resident
 * memory must stay bounded. The figures go to {@code target/fuzz-<database>.txt}.
 */
class HostileInputFuzzIT {

    private static final long SEED = Long.getLong("mcs.fuzz.seed", 20261204L);
    private static final int ANSWER_TIMEOUT_MS = 30_000;
    /** An answer slower than this counts as the server being taken over by one request. */
    private static final long SLOW_MS = 10_000;

    private static final long MAX_RSS_MB = Long.getLong("mcs.fuzz.max-rss-mb", 1536);

    static final Pattern INTERNALS = Pattern.compile(
            "\\b(java|javax|jakarta|sun)\\.[a-z]+\\.|\\b(org\\.(hibernate|springframework|h2|postgresql|apache)|ca\\.uhn|com\\.zaxxer)\\."
                    + "|[A-Z][A-Za-z]+(Exception|Error)\\b|\\bat [a-z][\\w.$]+\\(|(?i)\\b(insert into|select \\S+ from|delete from|"
                    + "update \\S+ set)\\b|HFJ_[A-Z_]+|SQL ?state|\\[\\d{5}-\\d{3}\\]|Whitelabel|Apache Tomcat");

    @Test
    void everyHostileRequestGetsAFhirAnswerAndTheServerStaysWell() {
        ServerProcess server = TestServer.get();
        RawHttp http = new RawHttp(server.fhirBase(), ANSWER_TIMEOUT_MS);
        List<Case> corpus = new HostileCases(SEED).generate();
        long rssBefore = rssMegabytes(server);
        long rssPeak = rssBefore;
        Map<String, Integer> statusClasses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Answer slowest = null;
        String slowestLabel = "";
        int stored = 0;

        for (int i = 0; i < corpus.size(); i++) {
            Case hostile = corpus.get(i);
            Answer answer = http.send(hostile.request());
            statusClasses.merge(answer.status() == 0 ? "no answer" : answer.status() / 100 + "xx", 1, Integer::sum);
            if (slowest == null || answer.millis() > slowest.millis()) {
                slowest = answer;
                slowestLabel = hostile.family() + ": " + hostile.label();
            }
            String problem = problemWith(answer);
            if (problem == null && answer.status() == 201) {
                stored++;
                problem = readsBack(http, answer.header("Location"));
            }
            if (problem != null) {
                failures.add(hostile.family() + " / " + hostile.label() + " [" + requestLine(hostile) + "] -> "
                        + answer.status() + " " + problem);
            }
            if (i % 50 == 0) {
                Answer small = http.send(RawHttp.request("GET", "/fhir/metadata?_summary=true", Map.of(), null));
                if (small.status() != 200 || small.millis() > 1000) {
                    failures.add("after case " + i + ", a small request took " + small.millis() + " ms (status "
                            + small.status() + ")");
                }
                rssPeak = Math.max(rssPeak, rssMegabytes(server));
            }
        }
        long rssAfter = rssMegabytes(server);
        rssPeak = Math.max(rssPeak, rssAfter);
        String report = "seed " + SEED + ", " + corpus.size() + " cases on " + TestServer.database() + ": "
                + statusClasses
                + ", stored and read back " + stored + ", RSS " + rssBefore + " MB before, " + rssAfter
                + " MB after, peak "
                + rssPeak + " MB, slowest " + (slowest == null ? 0 : slowest.millis()) + " ms (" + slowestLabel + "), "
                + failures.size() + " failures";
        write(report, failures);
        System.out.println("[fuzz] " + report);

        assertThat(failures).as(report).isEmpty();
        assertThat(rssPeak).as("resident memory (MB)").isLessThan(MAX_RSS_MB);
    }

    /** What is wrong with an answer, or null. */
    static String problemWith(Answer answer) {
        if (answer.status() == 0) {
            return "no answer within " + ANSWER_TIMEOUT_MS + " ms";
        }
        if (answer.status() >= 500) {
            return "server error: " + excerpt(answer.text());
        }
        if (answer.millis() > SLOW_MS) {
            return "took " + answer.millis() + " ms";
        }
        if (answer.status() < 400) {
            return null;
        }
        String body = answer.text();
        String contentType = String.valueOf(answer.header("Content-Type"));
        boolean json = contentType.contains("json") && body.contains("\"resourceType\":\"OperationOutcome\"");
        boolean xml = contentType.contains("xml") && body.contains("<OperationOutcome");
        if (!json && !xml) {
            return "not an OperationOutcome (" + contentType + "): " + excerpt(body);
        }
        if (!Pattern.compile(json ? "\"diagnostics\":\"MCS-\\d{4}" : "<diagnostics value=\"MCS-\\d{4}")
                .matcher(body)
                .find()) {
            return "no MCS code: " + excerpt(body);
        }
        var internal = INTERNALS.matcher(body);
        if (internal.find()) {
            return "names internals (" + internal.group() + "): " + excerpt(body);
        }
        return null;
    }

    /** A stored resource must read back whole in JSON and as well-formed XML. */
    private static String readsBack(RawHttp http, String location) {
        if (location == null) {
            return null;
        }
        String path = location.replaceFirst("^https?://[^/]+", "").replaceFirst("/_history/.*$", "");
        for (String format : List.of("json", "xml")) {
            Answer read = http.send(RawHttp.request("GET", path + "?_format=" + format, Map.of(), null));
            if (read.status() != 200) {
                return "stored at " + path + " but reading it back as " + format + " answered " + read.status();
            }
            if (format.equals("xml") && !wellFormed(read.body())) {
                return "stored at " + path + " but its XML is not well-formed";
            }
        }
        return null;
    }

    private static boolean wellFormed(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static long rssMegabytes(ServerProcess server) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + server.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    private static void write(String report, List<String> failures) {
        try {
            Path file = Path.of("target", "fuzz-" + TestServer.database() + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report + "\n" + String.join("\n", failures) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requestLine(Case hostile) {
        String request = new String(hostile.request(), StandardCharsets.ISO_8859_1);
        String line = request.substring(0, Math.max(0, request.indexOf("\r\n")));
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
