package org.mcsfhir.server.registry;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Turns a registry case, or one resource of a Bulk Data export, into its pseudonymised form, in place. The pseudonym of a resource is
 * HMAC-SHA-256(secret, "Type/id") in hex: the same on every pull, different in a deployment with another secret, and
 * not reversible without the secret. Removed: names, addresses, telecoms, every Patient identifier (NHS number, MRN),
 * birthDate (replaced by age in whole years at insertion), narrative, notes, contained resources, reference displays
 * and reference identifiers, source attachments of consents; resource ids and the references between them are
 * replaced by pseudonyms. Kept: sex and every clinical date (survival and complication timing need them), codes and
 * values, the pump's serial number and UDI (device safety follow-up).
 */
public final class Pseudonymiser {

    /** Resource ids are the first 32 hex digits (128 bits) of the pseudonym, well inside FHIR's 64-character limit. */
    private static final int ID_LENGTH = 32;

    private final byte[] secret;
    private final FhirTerser terser;

    Pseudonymiser(byte[] secret, FhirContext fhir) {
        this.secret = secret.clone();
        this.terser = fhir.newTerser();
    }

    /** The full pseudonym (64 hex digits) of a resource, e.g. {@code pseudonym("Patient/123")}. */
    String pseudonym(String typeAndId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(typeAndId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The pseudonymous resource id {@code $registry-case} gives the resource {@code typeAndId} (32 hex digits). */
    public String pseudonymousId(String typeAndId) {
        return pseudonym(typeAndId).substring(0, ID_LENGTH);
    }

    /**
     * @param bundle the case as {@link RegistryCaseAssembler#toBundle} made it (references relative, ids set)
     * @param insertionStart when the pump went in, for the age at insertion
     * @param serverBase for the new fullUrls
     */
    void pseudonymise(Bundle bundle, Date insertionStart, String serverBase) {
        String insertionKey = "Procedure/" + bundle.getIdentifier().getValue();
        bundle.getIdentifier().setValue(pseudonymousId(insertionKey));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            pseudonymise(resource, insertionStart);
            entry.setFullUrl(serverBase + "/" + resource.getIdElement().getValue());
        }
    }

    /**
     * One resource, in place (a registry case's entry, or a resource on its way into a Bulk Data export file): its id
     * and every reference become pseudonyms, identifying elements go. The pseudonymous id of a resource depends on
     * nothing but its own type and id, so references between resources pseudonymised separately still resolve.
     *
     * @param insertionStart for a Patient, when the pump went in (the age at insertion); null: no age
     */
    void pseudonymise(Resource resource, Date insertionStart) {
        String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        if (resource instanceof Patient patient) {
            replaceContent(patient, pseudonymisedPatient(patient, key, insertionStart));
        }
        scrub(resource);
        resource.setId(resource.fhirType() + "/" + pseudonymousId(key));
    }

    private Patient pseudonymisedPatient(Patient patient, String key, Date insertionStart) {
        Patient p = new Patient();
        p.getMeta().addProfile(GuideCodes.PATIENT_PROFILE);
        p.addIdentifier(new Identifier()
                .setSystem(GuideCodes.REGISTRY_PSEUDONYM_IDENTIFIER_SYSTEM)
                .setValue(pseudonym(key)));
        p.setGender(patient.getGender());
        // mcs-patient needs birthDate: present but masked, the age at insertion stands in for it
        p.getBirthDateElement().addExtension(masked());
        Integer years = ageAtInsertion(patient.getBirthDate(), insertionStart);
        if (years != null) {
            Age age = new Age();
            age.setValue(years).setUnit("years").setSystem(GuideCodes.UCUM).setCode("a");
            p.addExtension(new Extension(GuideCodes.AGE_AT_INSERTION_EXTENSION, age));
        }
        if (patient.hasDeceased()) {
            p.setDeceased(patient.getDeceased().copy());
        }
        if (patient.hasManagingOrganization()) {
            p.setManagingOrganization(patient.getManagingOrganization().copy());
        }
        return p;
    }

    /** Whole years from birth to the insertion's UTC day (the age that stands in for the birth date), or null. */
    public static Integer ageAtInsertion(Date birthDate, Date insertionStart) {
        if (birthDate == null || insertionStart == null) {
            return null;
        }
        LocalDate born = birthDate.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate inserted = insertionStart.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        return Period.between(born, inserted).getYears();
    }

    /**
     * Empties every element of an R4 Patient (the version is frozen: this list is complete), then copies the
     * pseudonymised content in. In place because a Bulk Data export writes the very object its hook was given.
     */
    private static void replaceContent(Patient target, Patient content) {
        target.setIdentifier(null)
                .setActiveElement(null)
                .setName(null)
                .setTelecom(null)
                .setGenderElement(null)
                .setBirthDateElement(null)
                .setDeceased(null)
                .setAddress(null)
                .setMaritalStatus(null)
                .setMultipleBirth(null)
                .setPhoto(null)
                .setContact(null)
                .setCommunication(null)
                .setGeneralPractitioner(null)
                .setManagingOrganization(null)
                .setLink(null);
        target.setText(null).setContained(null).setExtension(null).setModifierExtension(null);
        target.setMeta(null).setImplicitRulesElement(null).setLanguageElement(null);
        content.copyValues(target);
    }

    private void scrub(Resource resource) {
        resource.setMeta(new Meta().setProfile(resource.getMeta().getProfile()));
        if (resource instanceof DomainResource domain) {
            domain.setText(null);
            domain.getContained().clear();
        }
        if (resource instanceof Practitioner practitioner) {
            String key = "Practitioner/" + practitioner.getIdElement().getIdPart();
            practitioner.setIdentifier(List.of(new Identifier()
                    .setSystem(GuideCodes.REGISTRY_PSEUDONYM_IDENTIFIER_SYSTEM)
                    .setValue(pseudonym(key))));
            HumanName name = new HumanName();
            name.addExtension(masked());
            practitioner.setName(List.of(name));
            practitioner.setTelecom(null);
            practitioner.setAddress(null);
            practitioner.setPhoto(null);
            practitioner.setBirthDate(null);
            practitioner.setCommunication(null);
        } else if (resource instanceof Organization organization) {
            organization.setTelecom(null);
            organization.setAddress(null);
            organization.setContact(null);
        } else if (resource instanceof Procedure procedure) {
            procedure.setNote(null);
            procedure.setIdentifier(null);
        } else if (resource instanceof Condition condition) {
            condition.setNote(null);
            condition.setIdentifier(null);
        } else if (resource instanceof Consent consent) {
            consent.setSource(null);
            consent.setIdentifier(null);
        } else if (resource instanceof Observation observation) {
            observation.setNote(null);
            for (Identifier identifier : observation.getIdentifier()) {
                // telemetry identities are deviceId/channel/start: the device id part becomes its pseudonym
                if (isTelemetryIdentity(identifier)) {
                    String value = identifier.getValue();
                    int slash = value == null ? -1 : value.indexOf('/');
                    if (slash > 0) {
                        identifier.setValue(
                                pseudonymousId("Device/" + value.substring(0, slash)) + value.substring(slash));
                    }
                }
            }
            observation.getIdentifier().removeIf(i -> !isTelemetryIdentity(i));
        } else if (resource instanceof Device device) {
            device.setContact(null);
            device.setNote(null);
        }
        scrubAnyType(resource);
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            reference.setDisplay(null);
            reference.setIdentifier(null);
            if (reference.hasReference()) {
                IdType target = new IdType(reference.getReference());
                if (target.hasResourceType() && target.hasIdPart()) {
                    String key = target.getResourceType() + "/" + target.getIdPart();
                    reference.setReference(target.getResourceType() + "/" + pseudonymousId(key));
                } else {
                    // absolute URLs to other servers, and "#" links to the contained resources removed above
                    reference.setReference(null);
                }
            }
        }
    }

    /**
     * Whatever the resource type, and wherever in it: a hospital may send any element and any extension, so beyond
     * the per-type rules above every identifier (but the pseudonym, the telemetry identities and the centre's own),
     * person name, address and telecom is emptied, free text (CodeableConcept.text, annotations, string values,
     * attachments) goes, and only the guide's own extensions (and data-absent-reason) stay.
     */
    private void scrubAnyType(Resource resource) {
        if (resource instanceof DomainResource domain) {
            domain.getExtension().removeIf(Pseudonymiser::foreign);
            domain.getModifierExtension().removeIf(Pseudonymiser::foreign);
        }
        boolean centre = resource instanceof Organization;
        for (Element element : terser.getAllPopulatedChildElementsOfType(resource, Element.class)) {
            element.getExtension().removeIf(Pseudonymiser::foreign);
            if (element instanceof BackboneElement backbone) {
                backbone.getModifierExtension().removeIf(Pseudonymiser::foreign);
            }
            if (element instanceof Identifier identifier && !centre && !kept(identifier)) {
                identifier
                        .setUse(null)
                        .setType(null)
                        .setSystem(null)
                        .setValue(null)
                        .setPeriod(null)
                        .setAssigner(null);
            } else if (element instanceof HumanName name) {
                name.setUse(null)
                        .setText(null)
                        .setFamily(null)
                        .setGiven(null)
                        .setPrefix(null)
                        .setSuffix(null)
                        .setPeriod(null);
            } else if (element instanceof Address address) {
                address.setUse(null)
                        .setType(null)
                        .setText(null)
                        .setLine(null)
                        .setCity(null)
                        .setDistrict(null)
                        .setState(null)
                        .setPostalCode(null)
                        .setCountry(null)
                        .setPeriod(null);
            } else if (element instanceof ContactPoint telecom) {
                telecom.setSystem(null)
                        .setValue(null)
                        .setUse(null)
                        .setRankElement(null)
                        .setPeriod(null);
            } else if (element instanceof CodeableConcept concept) {
                concept.setText(null);
            } else if (element instanceof Annotation annotation) {
                annotation.setText(null).setAuthor(null);
            } else if (element instanceof Attachment attachment) {
                attachment.setData(null).setUrl(null).setTitle(null);
            }
        }
        if (resource instanceof Observation observation) {
            if (observation.getValue() instanceof StringType) {
                observation.setValue(null);
            }
            observation.getComponent().stream()
                    .filter(c -> c.getValue() instanceof StringType)
                    .forEach(c -> c.setValue(null));
        }
    }

    private static boolean foreign(Extension extension) {
        String url = extension.getUrl();
        return url == null || !(url.startsWith(GuideCodes.BASE) || url.equals(GuideCodes.DATA_ABSENT_REASON_EXTENSION));
    }

    private static boolean kept(Identifier identifier) {
        return GuideCodes.REGISTRY_PSEUDONYM_IDENTIFIER_SYSTEM.equals(identifier.getSystem())
                || isTelemetryIdentity(identifier);
    }

    private static boolean isTelemetryIdentity(Identifier identifier) {
        return GuideCodes.TELEMETRY_WINDOW_IDENTIFIER_SYSTEM.equals(identifier.getSystem())
                || GuideCodes.TELEMETRY_SUMMARY_IDENTIFIER_SYSTEM.equals(identifier.getSystem());
    }

    private static Extension masked() {
        return new Extension(GuideCodes.DATA_ABSENT_REASON_EXTENSION, new CodeType("masked"));
    }
}
