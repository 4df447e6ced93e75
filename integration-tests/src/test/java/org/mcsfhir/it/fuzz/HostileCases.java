package org.mcsfhir.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Generated hostile and malformed requests, one family per class of problem found against the server (issue #18),
 * from a fixed seed so a failure can be replayed. Each case is a complete HTTP/1.1 request in bytes.
 */
final class HostileCases {

    /** One request of the corpus; {@code family} names its class in reports. */
    record Case(String family, String label, byte[] request) {}

    private static final String JSON = "application/fhir+json";
    private static final String XML = "application/fhir+xml";

    static final List<String> NUMBERS = List.of(
            "1e-999999",
            "1e999999",
            "-1E+400",
            "1e-400",
            "123456789012345678901234567890123456789012345678901234567890123456789",
            "0.0000000000000000000000000000000000000000000000001",
            "00012",
            "-0",
            "1.",
            ".5",
            "NaN",
            "Infinity",
            "1e5",
            "9223372036854775808",
            "1E-7");
    static final List<String> STRINGS = List.of(
            "\\u0000",
            "\\u0001",
            "a\\u001fb",
            "\\ud800",
            "x\\udc00y",
            "\\uffff",
            "\\ufffe",
            "\\u202e",
            "%00",
            "<script>alert(1)</script>",
            "' OR '1'='1",
            "\\\\",
            "\\\"",
            "",
            " ",
            "\\u00e9\\u0301",
            "\\ud83d\\ude00",
            "${jndi:ldap://x/a}",
            "../../etc/passwd",
            "\\r\\n");
    static final List<String> REFERENCES = List.of(
            "Patient//x",
            "Patient/",
            "/Patient/1",
            "#missing",
            "urn:uuid:zzz",
            "Patient",
            "http://evil.example/fhir/Patient/1",
            "Patient/1/_history/x",
            "Patient?identifier=a|b",
            "Patient/%00",
            "",
            "Patient/" + "a".repeat(80),
            "Spaceship/1",
            "Patient/1/../2",
            "urn:oid:1.2.3");
    static final List<String> QUERY_VALUES = List.of(
            "-1",
            "0",
            "2147483647",
            "99999999999999999999",
            "abc",
            "%",
            "%00",
            "%zz",
            "%ff%fe",
            "ge999999999",
            "le-999999999",
            "ap1e-999999||mg",
            "1e999999",
            "'%3Bdrop%20table",
            "%5C",
            "*",
            "..",
            "%E2%80%AE",
            "",
            "x".repeat(3000),
            "gt2026-13-45",
            "eq",
            "Patient.name",
            "_id",
            "%2C%2C%2C",
            "a,b,,c",
            "%3Cscript%3E");
    static final List<String> PARAMETERS = List.of(
            "name",
            "_id",
            "_offset",
            "_count",
            "_sort",
            "_include",
            "_revinclude",
            "_has:Observation:subject:code",
            "birthdate",
            "value-quantity",
            "date",
            "_lastUpdated",
            "identifier",
            "subject:Patient.name",
            "_elements",
            "_summary",
            "_total",
            "_filter",
            "_text",
            "_content",
            "_format",
            "_pretty",
            "_since",
            "_at",
            "code:in",
            "gender:not",
            "name:exact",
            "_tag",
            "_security",
            "_profile");
    static final List<String> TYPES = List.of(
            "Patient",
            "Observation",
            "Procedure",
            "Device",
            "Task",
            "ValueSet",
            "CodeSystem",
            "Spaceship",
            "AuditEvent",
            "Bundle");

    private final Random random;
    private final List<Case> cases = new ArrayList<>();

    HostileCases(long seed) {
        this.random = new Random(seed);
    }

    List<Case> generate() {
        for (int i = 0; i < 200; i++) {
            jsonMutation(i);
        }
        for (int i = 0; i < 260; i++) {
            hostileValue(i);
        }
        for (int i = 0; i < 80; i++) {
            xml(i);
        }
        for (int i = 0; i < 320; i++) {
            search(i);
        }
        operations();
        headers();
        transactions();
        requestLines();
        telemetry();
        structure();
        return cases;
    }

    // --- bodies ---------------------------------------------------------------------------------------------------

    private static String patient() {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:fuzz\",\"value\":\"v1\"}],"
                + "\"name\":[{\"family\":\"Fuzz\",\"given\":[\"A\"]}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\","
                + "\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">F</div>\"},"
                + "\"extension\":[{\"url\":\"urn:fuzz:ext\",\"valueDecimal\":1.5}]}";
    }

    private static String observation(String value, String reference) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"fuzz\"},"
                + "\"subject\":{\"reference\":\"" + reference + "\"},"
                + "\"valueQuantity\":{\"value\":" + value
                + ",\"unit\":\"mg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg\"}}";
    }

    private void jsonMutation(int i) {
        String body = i % 2 == 0 ? patient() : observation("1.5", "Patient/fuzz-missing");
        String type = i % 2 == 0 ? "Patient" : "Observation";
        String mutated = switch (i % 5) {
            case 0 -> body.substring(0, random.nextInt(body.length()));
            case 1 ->
                replaceAt(
                        body,
                        random.nextInt(body.length()),
                        pick(List.of("{", "}", "[", "]", "\"", ":", ",", "\\", "\u0000", "\u0001", "\uD800")));
            case 2 ->
                insertAt(
                        body,
                        random.nextInt(body.length()),
                        pick(List.of(
                                "\"\":1,",
                                "\"x\":{},",
                                "[[[[",
                                "\"resourceType\":\"Patient\",",
                                "null,",
                                "\"gender\":1,",
                                "\"id\":\"../x\",",
                                "\"meta\":{\"versionId\":\"-1\"},")));
            case 3 ->
                body.replace(
                                "\"gender\":\"female\"",
                                "\"gender\":" + pick(List.of("1", "true", "[\"female\"]", "{}", "null", "\"\"")))
                        .replace("\"status\":\"final\"", "\"status\":" + pick(List.of("1", "[]", "\"FINAL\"", "null")));
            default ->
                body.replace(
                        "{\"resourceType\"",
                        "{\"" + pick(List.of("", " ", "resourceType ", "\\u0000")) + "\":1,\"resourceType\"");
        };
        add("json-mutation", type + " #" + i, post(type, JSON, mutated));
    }

    private void hostileValue(int i) {
        switch (i % 4) {
            case 0 ->
                add(
                        "hostile-number",
                        "decimal #" + i,
                        post(
                                "Observation",
                                JSON,
                                observation(pick(NUMBERS), "Patient/fuzz-missing")
                                        .replace("Patient/fuzz-missing", "#p")
                                        .replace("\"subject\":{\"reference\":\"#p\"},", "")));
            case 1 -> {
                String value = pick(STRINGS);
                String where = pick(List.of("family", "given", "value", "div", "birthDate", "url"));
                String body = switch (where) {
                    case "family" -> patient().replace("\"Fuzz\"", "\"F" + value + "\"");
                    case "given" -> patient().replace("[\"A\"]", "[\"" + value + "\"]");
                    case "value" -> patient().replace("\"v1\"", "\"" + value + "\"");
                    case "div" -> patient().replace(">F</div>", ">" + value + "</div>");
                    case "birthDate" -> patient().replace("1970-01-01", value);
                    default -> patient().replace("urn:fuzz:ext", value);
                };
                add("hostile-string", where + " #" + i, post("Patient", JSON, body));
            }
            case 2 ->
                add(
                        "hostile-reference",
                        "reference #" + i,
                        post("Observation", JSON, observation("2", pick(REFERENCES))));
            default ->
                add(
                        "hostile-number",
                        "extension decimal #" + i,
                        post(
                                "Patient",
                                JSON,
                                patient().replace("\"valueDecimal\":1.5", "\"valueDecimal\":" + pick(NUMBERS))));
        }
    }

    private void xml(int i) {
        String value = pick(List.of(
                "&#1;",
                "&#0;",
                "&#xD800;",
                "&#xFFFE;",
                "\u0001",
                "&amp;",
                "]]>",
                "&x;",
                "<b>",
                "&#x10FFFF;",
                "\uFFFF",
                "&#27;[31m"));
        String patient = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"" + value + "\"/></name>"
                + "<gender value=\"female\"/></Patient>";
        String body = switch (i % 7) {
            case 0 -> patient;
            case 6 ->
                "<Patient xmlns=\"http://hl7.org/fhir\"><extension url=\"urn:fuzz:ext\"><valueDecimal value=\""
                        + pick(NUMBERS) + "\"/></extension></Patient>";
            case 1 ->
                "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + patient.replace(value, "&x;");
            case 2 ->
                "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                        + patient.replace(value, "&d;");
            case 3 -> patient.substring(0, random.nextInt(patient.length()));
            case 4 -> patient.replace("http://hl7.org/fhir", pick(List.of("", "http://evil", "http://hl7.org/fhir/")));
            default ->
                "<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                        + pick(List.of("<script>x</script>", "<![CDATA[x]]>", "<img src=x onerror=y/>", value))
                        + "</div></text></Patient>";
        };
        add("xml", "xml #" + i, post("Patient", XML, body));
    }

    // --- URLs -----------------------------------------------------------------------------------------------------

    private void search(int i) {
        String type = pick(TYPES);
        StringBuilder query = new StringBuilder();
        int parameters = 1 + random.nextInt(3);
        for (int p = 0; p < parameters; p++) {
            query.append(p == 0 ? "?" : "&")
                    .append(pick(PARAMETERS))
                    .append('=')
                    .append(pick(QUERY_VALUES));
        }
        String method = i % 10 == 0 ? "DELETE" : "GET";
        add(
                "search",
                method + " " + type + " #" + i,
                RawHttp.request(method, "/fhir/" + type + query, Map.of("Accept", JSON), null));
    }

    private void operations() {
        List<String> targets = List.of(
                "/fhir/ValueSet/$expand?url=http://hl7.org/fhir/ValueSet/administrative-gender&count=abc",
                "/fhir/ValueSet/$expand?url=http://hl7.org/fhir/ValueSet/administrative-gender&offset=-5",
                "/fhir/ValueSet/$expand?url=%",
                "/fhir/CodeSystem/$lookup?system=&code=",
                "/fhir/CodeSystem/$lookup?system=http://loinc.org&code=%00",
                "/fhir/ValueSet/$validate-code?url=x&code=y",
                "/fhir/ConceptMap/$translate?code=1&system=",
                "/fhir/$export-poll-status",
                "/fhir/$export-poll-status?_jobId=does-not-exist",
                "/fhir/$export?_type=Spaceship",
                "/fhir/$export?_since=garbage",
                "/fhir/Patient/$everything?_count=-1",
                "/fhir/Patient/does-not-exist/$everything",
                "/fhir/Procedure/does-not-exist/$registry-case",
                "/fhir/Procedure/x/$registry-case?pseudonymise=maybe",
                "/fhir/Measure/$audit?periodStart=garbage&periodEnd=2026-01-01",
                "/fhir/Measure/$audit?periodStart=2026-01-01&periodEnd=2025-01-01",
                "/fhir/Measure/$audit?periodStart=-999999999-01-01&periodEnd=999999999-12-31",
                "/fhir/Device/x/$telemetry-series?start=-999999999-01-01T00:00:00Z&end=999999999-01-01T00:00:00Z",
                "/fhir/Device/x/$telemetry-series?start=garbage",
                "/fhir/Device/x/$telemetry-series?start=2026-01-01T00:00:00Z&end=2025-01-01T00:00:00Z&channel=%00",
                "/fhir/Task/$worklist-refresh",
                "/fhir/$meta",
                "/fhir/Patient/$meta-delete",
                "/fhir/$no-such-operation",
                "/fhir/Patient/x/$validate",
                "/fhir/Patient/$validate?profile=%",
                "/fhir/$reindex",
                "/fhir/$expunge",
                "/fhir/Patient/x/_history/abc",
                "/fhir/Patient/x/_history/-1",
                "/fhir/_history?_since=abc",
                "/fhir/Patient/_history?_count=abc",
                "/fhir/metadata?mode=garbage",
                "/fhir/Patient?_getpages=nope&_getpagesoffset=-1");
        for (String target : targets) {
            add("operation", "GET " + target, RawHttp.request("GET", target, Map.of("Accept", JSON), null));
            add(
                    "operation",
                    "POST " + target,
                    RawHttp.request(
                            "POST",
                            target,
                            Map.of("Content-Type", JSON),
                            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"x\",\"valueString\":\"\\u0000\"}]}"
                                    .getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void headers() {
        byte[] patient = patient().getBytes(StandardCharsets.UTF_8);
        for (String ifMatch : List.of(
                "garbage", "", "W/\"\"", "W/\"abc\"", "\"99999999999999999999\"", "W/\"-1\"", "*,*", "\u0001")) {
            add(
                    "header",
                    "PUT If-Match " + ifMatch,
                    RawHttp.request(
                            "PUT",
                            "/fhir/Patient/fuzz-if-match",
                            Map.of("Content-Type", JSON, "If-Match", ifMatch),
                            patient()
                                    .replace(
                                            "{\"resourceType\":\"Patient\"",
                                            "{\"resourceType\":\"Patient\",\"id\":\"fuzz-if-match\"")
                                    .getBytes(StandardCharsets.UTF_8)));
            add(
                    "header",
                    "DELETE If-Match " + ifMatch,
                    RawHttp.request("DELETE", "/fhir/Patient/fuzz-if-match", Map.of("If-Match", ifMatch), null));
        }
        for (String condition :
                List.of("garbage", "", "?", "name=%", "Patient?", "=x", "identifier=%00", "_id=a,b,c&&&")) {
            add(
                    "header",
                    "If-None-Exist " + condition,
                    RawHttp.request(
                            "POST",
                            "/fhir/Patient",
                            Map.of("Content-Type", JSON, "If-None-Exist", condition),
                            patient));
        }
        for (String[] pair : List.of(
                new String[] {"If-Modified-Since", "garbage"},
                new String[] {"If-None-Match", "garbage"},
                new String[] {"Prefer", "return=garbage"},
                new String[] {"Prefer", "handling=strict; respond-async"},
                new String[] {"Accept", "application/fhir+turtle"},
                new String[] {"Accept", "text/html"},
                new String[] {"Accept", "*/*;q=abc"},
                new String[] {"Accept-Charset", "ebcdic"},
                new String[] {"X-HTTP-Method-Override", "DELETE"},
                new String[] {"Authorization", "Bearer garbage"},
                new String[] {"X-Request-Id", "\u0001".repeat(10)},
                new String[] {"Range", "bytes=-1"})) {
            add(
                    "header",
                    "GET " + pair[0] + ": " + pair[1],
                    RawHttp.request("GET", "/fhir/Patient", Map.of(pair[0], pair[1]), null));
        }
        for (String contentType : List.of(
                "application/fhir+turtle",
                "text/plain",
                "multipart/form-data; boundary=x",
                "application/fhir+json; charset=ebcdic",
                "application/x-www-form-urlencoded",
                "application/octet-stream",
                "application/json-patch+json",
                "application/fhir+xml",
                "application/xml; fhirVersion=1.0",
                "")) {
            add(
                    "header",
                    "Content-Type " + contentType,
                    RawHttp.request(
                            "POST",
                            "/fhir/Patient",
                            contentType.isEmpty() ? Map.of() : Map.of("Content-Type", contentType),
                            patient));
        }
        for (String patch : List.of(
                "",
                "[]",
                "{}",
                "[{\"op\":\"nope\"}]",
                "[{\"op\":\"replace\",\"path\":\"/\\u0000\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"\\ud800\"}]")) {
            add(
                    "header",
                    "PATCH " + patch,
                    RawHttp.request(
                            "PATCH",
                            "/fhir/Patient/fuzz-if-match",
                            Map.of("Content-Type", "application/json-patch+json"),
                            patch.getBytes(StandardCharsets.UTF_8)));
        }
        add(
                "header",
                "gzip bomb",
                RawHttp.request(
                        "POST", "/fhir/Patient", Map.of("Content-Type", JSON, "Content-Encoding", "gzip"), gzipBomb()));
        add(
                "header",
                "not gzip",
                RawHttp.request(
                        "POST", "/fhir/Patient", Map.of("Content-Type", JSON, "Content-Encoding", "gzip"), patient));
        add(
                "header",
                "unknown encoding",
                RawHttp.request(
                        "POST", "/fhir/Patient", Map.of("Content-Type", JSON, "Content-Encoding", "br"), patient));
    }

    private void transactions() {
        List<String> entries = List.of(
                "{\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient\"}}",
                "{\"resource\":{\"resourceType\":\"Patient\"}}",
                "{\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"FOO\",\"url\":\"Patient\"}}",
                "{\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"%\"}}",
                "{\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Spaceship\"}}",
                "{\"fullUrl\":\"urn:uuid:1\",\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}",
                "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"urn:uuid:nothing\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}",
                "{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient?name=%\"}}",
                "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_offset=-1\"}}",
                "{\"request\":{\"method\":\"GET\",\"url\":\"/../../etc\"}}",
                "{\"resource\":{\"resourceType\":\"Bundle\",\"type\":\"transaction\"},\"request\":{\"method\":\"POST\",\"url\":\"Bundle\"}}",
                "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"x\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/y\",\"ifMatch\":\"garbage\"}}",
                "{\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"name=%\"}}",
                "{\"request\":{\"method\":\"PATCH\",\"url\":\"Patient/x\"}}",
                "null");
        for (String type : List.of("transaction", "batch")) {
            for (String entry : entries) {
                String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + entry + ","
                        + entry + "]}";
                add(
                        "transaction",
                        type + " " + entry,
                        RawHttp.request(
                                "POST",
                                "/fhir",
                                Map.of("Content-Type", JSON),
                                bundle.getBytes(StandardCharsets.UTF_8)));
            }
        }
        for (String bundleType : List.of("", "searchset", "document", "garbage")) {
            add(
                    "transaction",
                    "Bundle.type " + bundleType,
                    RawHttp.request(
                            "POST",
                            "/fhir",
                            Map.of("Content-Type", JSON),
                            ("{\"resourceType\":\"Bundle\",\"type\":\"" + bundleType + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void requestLines() {
        for (String target : List.of(
                "/fhir;/Patient",
                "/fhir/Patient;x=1",
                "/fhir/Patient/../../../etc/passwd",
                "/fhir//Patient",
                "/fhir/Patient/%00",
                "/fhir/Patient/" + "a".repeat(3000),
                "/fhir/Patient?x=<>",
                "/fhir/Patient?x=%",
                "/fhir/%",
                "/fhir/Patient/%2e%2e/%2e%2e",
                "/fhir/Patient\\x",
                "/fhir/Patient?" + "a=b&".repeat(2000),
                "/fhir/Patient/x/_history/1/extra",
                "/fhir/Patient/ x",
                "*",
                "/telemetry/../fhir/Patient",
                "/telemetry/v1/devices/%00/samples",
                "/telemetry/v1/devices/" + "x".repeat(500) + "/samples")) {
            add("request-line", "GET " + target, RawHttp.request("GET", target, Map.of("Accept", JSON), null));
        }
        for (String method : List.of("FOO", "TRACE", "OPTIONS", "PROPFIND", "CONNECT", "get")) {
            add("request-line", method, RawHttp.request(method, "/fhir/Patient", Map.of(), null));
        }
        add(
                "request-line",
                "header too large",
                RawHttp.request("GET", "/fhir/Patient", Map.of("X-Big", "x".repeat(20_000)), null));
        add(
                "request-line",
                "bad content-length",
                RawHttp.request(
                        "POST", "/fhir/Patient", Map.of("Content-Type", JSON, "Content-Length", "abc"), new byte[0]));
        add(
                "request-line",
                "negative content-length",
                RawHttp.request(
                        "POST", "/fhir/Patient", Map.of("Content-Type", JSON, "Content-Length", "-5"), new byte[0]));
    }

    private void telemetry() {
        for (int i = 0; i < 30; i++) {
            String line = pick(List.of(
                    "{}",
                    "{\"t\":\"garbage\"}",
                    "[1,2,3]",
                    "\u0000",
                    "{\"t\":\"2026-01-01T00:00:00Z\",\"channel\":\"%00\",\"value\":1e999999}",
                    "{\"t\":\"-999999999-01-01T00:00:00Z\",\"channel\":\"flow\",\"value\":1}",
                    "not json",
                    "{\"t\":1,\"v\":[" + "1,".repeat(100) + "1]}"));
            String contentType =
                    pick(List.of("application/x-ndjson", "application/json", "text/plain", "application/fhir+json"));
            add(
                    "telemetry",
                    "telemetry #" + i,
                    RawHttp.request(
                            "POST",
                            "/telemetry/v1/devices/" + pick(List.of("x", "%00", "..", "fuzz")) + "/samples",
                            Map.of("Content-Type", contentType),
                            (line + "\n" + line).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The largest shapes: one case each, since each is refused whole (or would take the server with it). */
    private void structure() {
        add(
                "structure",
                "nesting 5000",
                post(
                        "Patient",
                        JSON,
                        "{\"resourceType\":\"Patient\",\"extension\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        StringBuilder extensions = new StringBuilder("{\"resourceType\":\"Patient\",\"extension\":[");
        for (int i = 0; i < 50_000; i++) {
            extensions
                    .append(i == 0 ? "" : ",")
                    .append("{\"url\":\"urn:fuzz:e")
                    .append(i)
                    .append("\",\"valueString\":\"")
                    .append(i)
                    .append("\"}");
        }
        add(
                "structure",
                "50,000 extensions",
                post("Patient", JSON, extensions.append("]}").toString()));
        add(
                "structure",
                "5 MB string",
                post("Patient", JSON, patient().replace("\"Fuzz\"", "\"" + "x".repeat(5_000_000) + "\"")));
        add(
                "structure",
                "200,000 given names",
                post("Patient", JSON, patient().replace("[\"A\"]", "[" + "\"a\",".repeat(200_000) + "\"a\"]")));
        add(
                "structure",
                "300 repeated search parameters",
                RawHttp.request(
                        "GET",
                        "/fhir/Patient?" + "name=n&".repeat(300) + "gender=female",
                        Map.of("Accept", JSON),
                        null));
        add(
                "structure",
                "number 1e999999 in an extension",
                post("Patient", JSON, patient().replace("1.5", "1e999999")));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static byte[] post(String type, String contentType, String body) {
        return RawHttp.request(
                "POST",
                "/fhir/" + type,
                Map.of("Content-Type", contentType, "Accept", contentType),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzipBomb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) 'a');
            for (int i = 0; i < 300; i++) {
                gzip.write(spaces);
            }
            gzip.write("\"}]}".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void add(String family, String label, byte[] request) {
        cases.add(new Case(family, label.length() > 120 ? label.substring(0, 120) + "…" : label, request));
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String replaceAt(String text, int at, String with) {
        return text.substring(0, at) + with + text.substring(Math.min(text.length(), at + 1));
    }

    private static String insertAt(String text, int at, String with) {
        return text.substring(0, at) + with + text.substring(at);
    }
}
