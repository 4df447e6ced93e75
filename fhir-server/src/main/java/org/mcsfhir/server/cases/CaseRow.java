package org.mcsfhir.server.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;

/**
 * One row of the case table: an insertion's case as plain values, the ones the audit, the worklist and the dashboard
 * need, each a column. Lists of dated evidence are sorted text ({@code id|code|date|value} items joined by
 * {@code ;}), so two rows built from the same resources are equal, on any node and any database. Within a field, a
 * concept's codings are joined by {@code ,}. The codings the audit maps through the guide's ConceptMaps (access site,
 * reasons, a complication's code) carry their system as {@code system#code} tokens ({@link #token}, FHIR Shorthand's
 * notation; the system is empty when the coding has none), so that they are matched by system and code; the other
 * fields hold the bare codes, matched against the guide's own code systems. A code containing {@code #}, {@code ,},
 * {@code ;} or {@code |} cannot be told apart; the guide's codes contain none.
 *
 * @param insertionId the Procedure id (primary key)
 * @param patientId the subject Patient's id, or null
 * @param centre {@code Organization/<id>} of the patient's centre, or null
 * @param startAt the start as epoch milliseconds, or null
 * @param startDay the start's UTC day ({@code YYYY-MM-DD}), or null
 * @param recorded false for an {@code entered-in-error} or {@code not-done} insertion
 * @param sex {@code Patient.gender} code, or null
 * @param birthDate {@code Patient.birthDate}, or null
 * @param deceased {@code Patient.deceasedDateTime} as written, {@code true} for deceasedBoolean true, or null
 * @param pumpId the case's pump Device id, or null
 * @param deviceModel the pump's model name, or null
 * @param accessSites {@code bodySite} codings as {@code system#code} tokens, sorted, joined by {@code ,}
 * @param reasons {@code reasonCode} codings as {@code system#code} tokens, sorted, joined by {@code ,}
 * @param consentId the case's consent (first not entered-in-error), or null
 * @param removals {@code id|status|performed|reason} items
 * @param outcomes {@code id|status|code|effective|value|point} items (vital status, support outcome, QoL scores)
 * @param complications {@code id|verification|code|onset|barc} items; {@code code} as {@code system#code} tokens
 * @param selection the patient's SCAI stage and pregnancy status: {@code id|status|code|effective|value} items
 */
public record CaseRow(
        String insertionId,
        String patientId,
        String centre,
        Long startAt,
        String startDay,
        boolean recorded,
        String sex,
        String birthDate,
        String deceased,
        String pumpId,
        String deviceModel,
        String accessSites,
        String reasons,
        String consentId,
        String removals,
        String outcomes,
        String complications,
        String selection) {

    /** Separates the system from the code in a {@code system#code} token. */
    public static final char SYSTEM_SEPARATOR = '#';

    /** The row of a case as the reader found it. */
    public static CaseRow of(InsertionCase c) {
        Procedure insertion = c.insertion();
        Patient patient = c.patient();
        Device pump = c.pump();
        LocalDate startDay = c.startDate();
        Instant start = c.start();
        return new CaseRow(
                c.id(),
                patient == null ? null : patient.getIdElement().getIdPart(),
                c.centreRef(),
                start == null ? null : start.toEpochMilli(),
                startDay == null ? null : startDay.toString(),
                c.recorded(),
                patient == null || !patient.hasGender()
                        ? null
                        : patient.getGender().toCode(),
                patient == null || !patient.hasBirthDate()
                        ? null
                        : patient.getBirthDateElement().getValueAsString(),
                deceased(patient),
                pump == null ? null : pump.getIdElement().getIdPart(),
                model(pump),
                tokens(insertion.getBodySite()),
                tokens(insertion.getReasonCode()),
                c.consent() == null ? null : c.consent().getIdElement().getIdPart(),
                items(
                        c.removals(),
                        r -> List.of(statusOf(r.getStatus()), value(CaseDates.performed(r)), codes(r.getReasonCode()))),
                items(
                        c.outcomes(),
                        o -> List.of(
                                statusOf(o.getStatus()),
                                codes(List.of(o.getCode())),
                                CaseDates.effectiveText(o),
                                observationValue(o),
                                text(CaseCodes.followUpPoint(o)))),
                items(
                        c.complications(),
                        x -> List.of(
                                codes(List.of(x.getVerificationStatus())),
                                tokens(List.of(x.getCode())),
                                value(CaseDates.onset(x)),
                                codes(x.getStage().stream()
                                        .map(Condition.ConditionStageComponent::getSummary)
                                        .toList()))),
                items(
                        c.selection(),
                        o -> List.of(
                                statusOf(o.getStatus()),
                                codes(List.of(o.getCode())),
                                CaseDates.effectiveText(o),
                                observationValue(o))));
    }

    /** A coding as the row holds it where the system counts: {@code system#code}, {@code #code} without a system. */
    public static String token(String system, String code) {
        return (system == null ? "" : system) + SYSTEM_SEPARATOR + code;
    }

    /** The code of a {@code system#code} token (after the last {@code #}; a system may hold a fragment). */
    public static String codeOf(String token) {
        return token.substring(token.lastIndexOf(SYSTEM_SEPARATOR) + 1);
    }

    /**
     * The items of a list column split into their fields ({@code ;} between items, {@code |} between fields); items
     * with fewer than {@code fields} fields are skipped.
     */
    public static List<String[]> items(String joined, int fields) {
        List<String[]> items = new ArrayList<>();
        if (joined == null || joined.isEmpty()) {
            return items;
        }
        for (String item : joined.split(";")) {
            String[] parts = item.split("\\|", -1);
            if (parts.length >= fields) {
                items.add(parts);
            }
        }
        return items;
    }

    private static String deceased(Patient patient) {
        if (patient == null || !patient.hasDeceased()) {
            return null;
        }
        return patient.hasDeceasedDateTimeType()
                ? patient.getDeceasedDateTimeType().getValueAsString()
                : String.valueOf(patient.getDeceasedBooleanType().booleanValue());
    }

    private static String model(Device pump) {
        if (pump == null || !pump.hasDeviceName()) {
            return null;
        }
        return pump.getDeviceName().stream()
                .filter(n -> n.getType() == Device.DeviceNameType.MODELNAME)
                .findFirst()
                .orElse(pump.getDeviceNameFirstRep())
                .getName();
    }

    private static String observationValue(Observation o) {
        if (o.hasValueCodeableConcept()) {
            return codes(List.of(o.getValueCodeableConcept()));
        }
        return o.hasValueQuantity() && o.getValueQuantity().hasValue()
                ? o.getValueQuantity().getValue().stripTrailingZeros().toPlainString()
                : "";
    }

    private static String codes(List<CodeableConcept> concepts) {
        return concepts.stream()
                .filter(Objects::nonNull)
                .flatMap(c -> c.getCoding().stream())
                .map(Coding::getCode)
                .filter(Objects::nonNull)
                .sorted()
                .collect(Collectors.joining(","));
    }

    private static String tokens(List<CodeableConcept> concepts) {
        return concepts.stream()
                .filter(Objects::nonNull)
                .flatMap(c -> c.getCoding().stream())
                .filter(Coding::hasCode)
                .map(coding -> token(coding.getSystem(), coding.getCode()))
                .sorted()
                .collect(Collectors.joining(","));
    }

    private static String statusOf(Enum<?> status) {
        return status == null ? "" : status.name().toLowerCase();
    }

    private static String value(BaseDateTimeType date) {
        return date == null || date.getValueAsString() == null ? "" : date.getValueAsString();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static <T extends Resource> String items(List<T> resources, Function<T, List<String>> fields) {
        return resources.stream()
                .map(r -> r.getIdElement().getIdPart() + "|" + String.join("|", fields.apply(r)))
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.joining(";"));
    }
}
