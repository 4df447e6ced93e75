package org.mcsfhir.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlBodyScannerTest {

    static final BodyLimits SMALL = JsonBodyScannerTest.SMALL;
    static final String NS = " xmlns=\"http://hl7.org/fhir\"";

    @Test
    void aNormalResourcePasses() {
        assertPasses("<Patient" + NS + "><extension url=\"u\"><valueString value=\"x\"/></extension>"
                + "<name><given value=\"Ann\"/></name><birthDate value=\"1970-01-01\"/></Patient>");
    }

    @Test
    void depth() {
        assertPasses("<a><a><a><a><a><a><a><a/></a></a></a></a></a></a></a>");
        assertRefused(
                "<a><a><a><a><a><a><a><a><a/></a></a></a></a></a></a></a></a>",
                "MCS-0410",
                "XML",
                "mcs.security.max-json-depth");
    }

    @Test
    void childrenOfOneElement() {
        assertPasses("<Patient><a/><a/><a/><a/><a/></Patient>");
        assertRefused("<Patient><a/><a/><a/><b/><b/><b/></Patient>", "MCS-0481", "mcs.limits.max-array-length");
    }

    @Test
    void extensionsOfOneElement() {
        String three = "<extension url=\"a\"/><modifierExtension url=\"b\"/><extension url=\"c\"/>";
        assertPasses("<Patient>" + three + "<gender>" + three + "</gender></Patient>");
        assertRefused(
                "<Patient>" + three + "<extension url=\"d\"/></Patient>", "MCS-0483", "mcs.limits.max-extensions");
    }

    @Test
    void attributeValuesAndTextAreLimited_exceptBase64Data() {
        assertPasses("<Patient><given value=\"" + "x".repeat(20) + "\"/></Patient>");
        assertRefused(
                "<Patient><given value=\"" + "x".repeat(21) + "\"/></Patient>",
                "MCS-0482",
                "mcs.limits.max-string-length");
        assertRefused("<Patient><div>" + "x".repeat(21) + "</div></Patient>", "MCS-0482");
        assertRefused("<Patient><div>xxxxxx<b/>xxxxxxxxxxx<![CDATA[xxxxxxxxxxx]]></div></Patient>", "MCS-0482");
        assertPasses("<Patient><photo><data value=\"" + "QUJD".repeat(100) + "\"/></photo></Patient>");
    }

    @Test
    void elementsInTheBodyAndInOneResource() {
        // 25 elements in the resource, 27 in an entry: two entries make 55 in the body, three 82
        String resource25 = "<Basic>" + "<a><b/><b/><b/><b/><b/></a>".repeat(4) + "</Basic>";
        String entry = "<entry><resource>" + resource25 + "</resource></entry>";
        assertPasses("<Bundle>" + entry + entry + "</Bundle>");
        assertRefused(
                "<Bundle>" + entry + entry + entry + "</Bundle>", "MCS-0480", "60 elements", "mcs.limits.max-values");
        assertRefused(
                "<Basic>" + "<a><b/><b/><b/><b/><b/></a>".repeat(5) + "</Basic>",
                "MCS-0480",
                "a resource",
                "mcs.limits.max-resource-values");
        assertRefused(
                "<Bundle><entry><resource><Basic>" + "<a><b/><b/><b/><b/><b/></a>".repeat(5)
                        + "</Basic></resource></entry></Bundle>",
                "MCS-0480",
                "a resource");
    }

    @Test
    void transactionAndBatchBundles_areLimitedInEntries_otherBundlesAreNot() {
        String entry = "<entry><resource><Basic><entry/><entry/><entry/><entry/></Basic></resource></entry>";
        for (String type : new String[] {"transaction", "batch"}) {
            assertPasses("<Bundle><type value=\"" + type + "\"/>" + entry.repeat(3) + "</Bundle>");
            BodyRefusedException refused = catchThrowableOfType(
                    () -> XmlBodyScanner.scan(
                            bytes("<Bundle><type value=\"" + type + "\"/>" + entry.repeat(4) + "</Bundle>"), SMALL),
                    BodyRefusedException.class);
            assertThat(refused).isNotNull();
            assertThat(refused.status).isEqualTo(413);
            assertThat(refused.getMessage()).startsWith("MCS-0485").contains("4 entries", "at most 3");
        }
        assertPasses("<Bundle><type value=\"collection\"/>" + entry.repeat(4) + "</Bundle>");
    }

    @Test
    void entitiesAndDtdsAreNotResolved_malformedXmlIsLeftToTheParser() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                + "<Patient><given value=\"&c;\"/></Patient>";
        assertPasses(laughs);
        assertPasses("<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Patient><gender value=\"&x;\"/></Patient>");
        assertPasses("<Patient><gender");
    }

    static void assertPasses(String xml) {
        assertThatCode(() -> XmlBodyScanner.scan(bytes(xml), SMALL)).as(xml).doesNotThrowAnyException();
    }

    static void assertRefused(String xml, String... diagnostics) {
        BodyRefusedException refused =
                catchThrowableOfType(() -> XmlBodyScanner.scan(bytes(xml), SMALL), BodyRefusedException.class);
        assertThat(refused).as(xml).isNotNull();
        assertThat(refused.status).isEqualTo(400);
        assertThat(refused.getMessage()).startsWith(diagnostics[0]).contains(diagnostics);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
