package org.mcsfhir.it.outcomes;

import java.time.LocalDate;
import java.util.List;

/** Guide-conformant resources for {@link SyntheticCohort} (and other ITs), shaped like the guide's example cases. */
public final class FhirJson {

    private static final String SD = "https://mcs-fhir.org/fhir/StructureDefinition/";
    private static final String CS = "https://mcs-fhir.org/fhir/CodeSystem/";

    private FhirJson() {}

    public static String centre(String id, String ods) {
        return """
                {"resourceType":"Organization","id":"%s","meta":{"profile":["%smcs-implanting-centre"]},
                 "identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"%s"}],"active":true,
                 "type":[{"coding":[{"system":"%smcs-centre-capability-cs","code":"ppci-centre","display":"Primary PCI centre"}]},
                         {"coding":[{"system":"%smcs-centre-capability-cs","code":"onsite-icu","display":"On-site intensive care"}]}],
                 "name":"Synthetic centre %s"}""".formatted(id, SD, ods, CS, CS, id);
    }

    public static String operator(String id) {
        return """
                {"resourceType":"Practitioner","id":"%s","meta":{"profile":["%smcs-operator"]},
                 "identifier":[{"system":"https://fhir.hl7.org.uk/Id/gmc-number","value":"7%06d"}],"active":true,
                 "name":[{"family":"Synthetic","given":["Operator"]}],
                 "qualification":[{"code":{"coding":[{"system":"%smcs-operator-qualification-cs",
                   "code":"microaxial-pump-insertion-training","display":"Microaxial flow pump insertion training"}]},
                   "period":{"start":"2005-01-01"}}]}""".formatted(id, SD, Math.abs(id.hashCode()) % 1000000, CS);
    }

    public static String patient(String id, String sex, LocalDate birth, String centre, LocalDate deceased) {
        return """
                {"resourceType":"Patient","id":"%s","meta":{"profile":["%smcs-patient"]},
                 "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR",
                   "display":"Medical record number"}]},"system":"https://mcs-fhir.org/fhir/example/synthetic/mrn","value":"%s"}],
                 "gender":"%s","birthDate":"%s",%s"managingOrganization":{"reference":"Organization/%s"}}""".formatted(
                id, SD, id, sex, birth, deceased == null ? "" : "\"deceasedDateTime\":\"" + deceased + "\",", centre);
    }

    public static String device(String id, String model, String patient, String centre) {
        return """
                {"resourceType":"Device","id":"%s","meta":{"profile":["%smcs-microaxial-pump"]},"status":"active",
                 "manufacturer":"Abiomed","serialNumber":"SN-%s","deviceName":[{"name":"%s","type":"model-name"}],
                 "type":{"coding":[{"system":"http://snomed.info/sct","code":"360066001","display":"Left ventricular assist device"}]},
                 "patient":{"reference":"Patient/%s"},"owner":{"reference":"Organization/%s"}}""".formatted(id, SD, id, model, patient, centre);
    }

    public static String insertion(
            String id,
            String patient,
            String centre,
            String operator,
            String device,
            LocalDate t0,
            String access,
            String aetiology,
            String consentExtension,
            List<String> complicationDetails) {
        String[] site = access.split("\\|");
        StringBuilder reasons = new StringBuilder(
                "{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"89138009\",\"display\":\"Cardiogenic shock\"}]}");
        if (aetiology != null) {
            reasons.append(',').append(coding(aetiology));
        }
        String consent = consentExtension == null
                ? ""
                : ",{\"url\":\"" + SD + "mcs-consent\",\"valueReference\":" + "{\"reference\":\"Consent/"
                        + consentExtension + "\"}}";
        StringBuilder details = new StringBuilder();
        for (String c : complicationDetails) {
            details.append(details.length() == 0 ? "" : ",")
                    .append("{\"reference\":\"Condition/")
                    .append(c)
                    .append("\"}");
        }
        return """
                {"resourceType":"Procedure","id":"%s","meta":{"profile":["%smcs-pump-insertion"]},
                 "extension":[{"url":"%smcs-imaging-guidance","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct",
                   "code":"44491008","display":"Fluoroscopy"}]}}%s],
                 "status":"completed",
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"232967006",
                   "display":"Implantation of left cardiac ventricular assist device"}]},
                 "subject":{"reference":"Patient/%s"},"performedPeriod":{"start":"%sT10:00:00Z","end":"%sT10:40:00Z"},
                 "performer":[{"actor":{"reference":"Practitioner/%s"},"onBehalfOf":{"reference":"Organization/%s"}}],
                 "reasonCode":[%s],
                 "bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"%s","display":"%s"}],
                   "extension":[{"url":"%smcs-laterality","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct",
                     "code":"24028007","display":"Right"}]}}]}],
                 %s"focalDevice":[{"action":{"coding":[{"system":"http://snomed.info/sct","code":"129336009",
                   "display":"Implantation - action"}]},"manipulated":{"reference":"Device/%s"}}]}""".formatted(
                        id,
                        SD,
                        SD,
                        consent,
                        patient,
                        t0,
                        t0,
                        operator,
                        centre,
                        reasons,
                        site[0],
                        site[1],
                        SD,
                        details.length() == 0 ? "" : "\"complicationDetail\":[" + details + "],",
                        device);
    }

    public static String consent(String id, String patient, String centre, LocalDate t0, String insertion) {
        String data = insertion == null
                ? ""
                : ",\"data\":[{\"meaning\":\"related\",\"reference\":{\"reference\":\"Procedure/" + insertion + "\"}}]";
        return """
                {"resourceType":"Consent","id":"%s","meta":{"profile":["%smcs-enhanced-consent"]},
                 "extension":[{"url":"%smcs-consent-decision-maker","valueCodeableConcept":{"coding":[{"system":
                   "%smcs-consent-decision-maker-cs","code":"personal-consultee","display":"Personal consultee"}]}},
                   {"url":"%smcs-uncertainty-discussed","valueBoolean":true}],
                 "status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"treatment","display":"Treatment"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0","display":"Patient Consent"}]}],
                 "patient":{"reference":"Patient/%s"},"dateTime":"%sT09:45:00Z","organization":[{"reference":"Organization/%s"}],
                 "policy":[{"uri":"https://www.nice.org.uk/guidance/htg775"}],
                 "provision":{"type":"permit"%s}}""".formatted(id, SD, SD, CS, SD, patient, t0, centre, data);
    }

    public static String scai(String id, String patient, String centre, LocalDate t0, String stage) {
        String display = switch (stage) {
            case "A" -> "Stage A - at risk";
            case "B" -> "Stage B - beginning";
            case "C" -> "Stage C - classic";
            case "D" -> "Stage D - deteriorating";
            default -> "Stage E - extremis";
        };
        return """
                {"resourceType":"Observation","id":"%s","meta":{"profile":["%smcs-shock-assessment"]},"status":"final",
                 "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"scai-shock-stage","display":"SCAI SHOCK stage"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%sT09:30:00Z","performer":[{"reference":"Organization/%s"}],
                 "valueCodeableConcept":{"coding":[{"system":"%smcs-scai-stage-cs","code":"%s","display":"%s"}]}}""".formatted(id, SD, CS, patient, t0, centre, CS, stage, display);
    }

    public static String pregnancy(String id, String patient, String centre, LocalDate t0, String value) {
        return """
                {"resourceType":"Observation","id":"%s","meta":{"profile":["%smcs-pregnancy-status"]},"status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"82810-3","display":"Pregnancy status"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%sT09:00:00Z","performer":[{"reference":"Organization/%s"}],
                 "valueCodeableConcept":%s}""".formatted(id, SD, patient, t0, centre, coding(value));
    }

    public static String complication(String id, String patient, String code, LocalDate onset, String barc) {
        String stage = barc == null
                ? ""
                : ",\"stage\":[{\"summary\":{\"coding\":[{\"system\":\"" + CS + "mcs-barc-bleeding-cs\",\"code\":\""
                        + barc + "\",\"display\":\"BARC type " + barc + "\"}]}}]";
        return """
                {"resourceType":"Condition","id":"%s","meta":{"profile":["%smcs-complication"]},
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved","display":"Resolved"}]},
                 "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed","display":"Confirmed"}]},
                 "category":[{"coding":[{"system":"%smcs-condition-category-cs","code":"complication","display":"Complication after pump insertion"}]}],
                 "code":%s,"subject":{"reference":"Patient/%s"},"onsetDateTime":"%s"%s}""".formatted(id, SD, CS, coding(code), patient, onset, stage);
    }

    public static String removal(
            String id,
            String patient,
            String insertion,
            String centre,
            String operator,
            String device,
            LocalDate date,
            String reason) {
        return """
                {"resourceType":"Procedure","id":"%s","meta":{"profile":["%smcs-pump-removal"]},
                 "partOf":[{"reference":"Procedure/%s"}],"status":"completed",
                 "code":{"coding":[{"system":"%smcs-pump-procedure-cs","code":"microaxial-pump-removal","display":"Removal of microaxial flow pump"}]},
                 "subject":{"reference":"Patient/%s"},"performedDateTime":"%sT12:00:00Z",
                 "performer":[{"actor":{"reference":"Practitioner/%s"},"onBehalfOf":{"reference":"Organization/%s"}}],
                 "reasonCode":[{"coding":[{"system":"%smcs-support-end-cs","code":"%s","display":"%s"}]}],
                 "focalDevice":[{"action":{"coding":[{"system":"http://snomed.info/sct","code":"129303008","display":"Removal - action"}]},
                   "manipulated":{"reference":"Device/%s"}}]}""".formatted(
                id, SD, insertion, CS, patient, date, operator, centre, CS, reason, supportEndDisplay(reason), device);
    }

    public static String supportOutcome(
            String id, String patient, String insertion, String centre, LocalDate date, String reason) {
        return """
                {"resourceType":"Observation","id":"%s","meta":{"profile":["%smcs-support-outcome"]},"status":"final",
                 "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"support-outcome","display":"Outcome of mechanical circulatory support"}]},
                 "subject":{"reference":"Patient/%s"},"focus":[{"reference":"Procedure/%s"}],"effectiveDateTime":"%s",
                 "performer":[{"reference":"Organization/%s"}],
                 "valueCodeableConcept":{"coding":[{"system":"%smcs-support-end-cs","code":"%s","display":"%s"}]}}""".formatted(id, SD, CS, patient, insertion, date, centre, CS, reason, supportEndDisplay(reason));
    }

    public static String vitalStatus(
            String id, String patient, String insertion, String centre, LocalDate date, String point, boolean alive) {
        return """
                {"resourceType":"Observation","id":"%s","meta":{"profile":["%smcs-vital-status"]},
                 "extension":[{"url":"%smcs-follow-up-point","valueCodeableConcept":{"coding":[{"system":"%smcs-follow-up-point-cs",
                   "code":"%s","display":"%s"}]}}],
                 "status":"final",
                 "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"vital-status","display":"Vital status at follow-up point"}]},
                 "subject":{"reference":"Patient/%s"},"focus":[{"reference":"Procedure/%s"}],"effectiveDateTime":"%s",
                 "performer":[{"reference":"Organization/%s"}],
                 "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"%s","display":"%s"}]}}""".formatted(
                        id,
                        SD,
                        SD,
                        CS,
                        point,
                        pointDisplay(point),
                        CS,
                        patient,
                        insertion,
                        date,
                        centre,
                        alive ? "438949009" : "419099009",
                        alive ? "Alive" : "Dead");
    }

    public static String qualityOfLife(
            String id,
            String patient,
            String insertion,
            String centre,
            LocalDate date,
            String point,
            String code,
            String display,
            String value) {
        return """
                {"resourceType":"Observation","id":"%s","meta":{"profile":["%smcs-quality-of-life"]},
                 "extension":[{"url":"%smcs-follow-up-point","valueCodeableConcept":{"coding":[{"system":"%smcs-follow-up-point-cs",
                   "code":"%s","display":"%s"}]}}],
                 "status":"final","code":{"coding":[{"system":"http://snomed.info/sct","code":"%s","display":"%s"}]},
                 "subject":{"reference":"Patient/%s"},"focus":[{"reference":"Procedure/%s"}],"effectiveDateTime":"%s",
                 "performer":[{"reference":"Organization/%s"}],
                 "valueQuantity":{"value":%s,"unit":"score","system":"http://unitsofmeasure.org","code":"{score}"}}""".formatted(
                id, SD, SD, CS, point, pointDisplay(point), code, display, patient, insertion, date, centre, value);
    }

    private static String coding(String systemCodeDisplay) {
        String[] parts = systemCodeDisplay.split("\\|");
        return "{\"coding\":[{\"system\":\"" + parts[0] + "\",\"code\":\"" + parts[1] + "\",\"display\":\"" + parts[2]
                + "\"}]}";
    }

    private static String pointDisplay(String point) {
        return switch (point) {
            case "30d" -> "30 days";
            case "180d" -> "180 days";
            case "1y" -> "1 year";
            default -> "Hospital discharge";
        };
    }

    private static String supportEndDisplay(String reason) {
        return switch (reason) {
            case "myocardial-recovery" -> "Myocardial recovery";
            case "bridge-to-transplant" -> "Bridge to heart transplant";
            case "bridge-to-durable-lvad" -> "Bridge to durable LVAD";
            case "escalation-va-ecmo" -> "Escalation to VA-ECMO";
            case "escalation-other-mcs" -> "Escalation to other temporary MCS";
            case "device-complication" -> "Device complication";
            case "death-on-support" -> "Death on support";
            default -> "Withdrawal for palliation";
        };
    }
}
