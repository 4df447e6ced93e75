package org.mcsfhir.server.registry;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Procedure;

/**
 * {@code GET [base]/Procedure/[id]/$registry-case} (OperationDefinition mcs-registry-case): everything about one pump
 * insertion as an {@code mcs-registry-case} Bundle, identifiable or pseudonymised. Pseudonymised when the client asks
 * ({@code pseudonymise=true}) or when {@link RegistryAccess} says this caller must not see identifiable data.
 */
public class RegistryCaseProvider {

    /** The operation's name, imported by the access rules. */
    public static final String OPERATION = "$registry-case";

    private final RegistryCaseAssembler assembler;
    private final Pseudonymiser pseudonymiser;
    private final RegistryAccess access;

    RegistryCaseProvider(RegistryCaseAssembler assembler, Pseudonymiser pseudonymiser, RegistryAccess access) {
        this.assembler = assembler;
        this.pseudonymiser = pseudonymiser;
        this.access = access;
    }

    @Operation(name = OPERATION, idempotent = true, type = Procedure.class)
    @Description(
            shortDefinition = "Everything about one pump insertion as an mcs-registry-case Bundle",
            value =
                    "Returns a Bundle (type collection, profile mcs-registry-case) with the patient, centre, operators, "
                            + "pump, insertion, removal, consents, selection observations, pregnancy status, complications, "
                            + "vital status, support outcome, quality of life and one mcs-telemetry-summary per channel "
                            + "computed from the stored telemetry windows. 404 if there is no such Procedure, 422 if it is not "
                            + "a pump insertion.")
    public Bundle registryCase(
            @IdParam IdType insertionId,
            @Description(
                            value =
                                    "true: the pseudonymised case (no name, address, telecom, NHS number, MRN, birth "
                                            + "date, narrative; HMAC-SHA-256 pseudonyms for ids; age at insertion). Default false.")
                    @OperationParam(name = "pseudonymise", min = 0, max = 1)
                    BooleanType pseudonymise,
            @Description(value = "true: add the raw telemetry windows (mcs-pump-telemetry). Default false.")
                    @OperationParam(name = "_includeTelemetry", min = 0, max = 1)
                    BooleanType includeTelemetry,
            RequestDetails request) {
        boolean pseudonymised = isTrue(pseudonymise) || access.mustPseudonymise(request);
        RegistryCaseAssembler.Case found = assembler.collect(insertionId.getIdPart(), isTrue(includeTelemetry));
        String serverBase = request.getFhirServerBase();
        Bundle bundle = assembler.toBundle(found, serverBase);
        if (pseudonymised) {
            pseudonymiser.pseudonymise(bundle, found.insertionStart(), serverBase);
        }
        return bundle;
    }

    private static boolean isTrue(BooleanType value) {
        return value != null && Boolean.TRUE.equals(value.getValue());
    }
}
