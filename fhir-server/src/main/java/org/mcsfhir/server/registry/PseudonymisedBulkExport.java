package org.mcsfhir.server.registry;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.mcsfhir.server.cases.CaseDates;
import org.mcsfhir.server.errors.ClientErrors;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Bulk Data export for registries that may not see identifiable data, through HAPI's own export hooks: at kick-off
 * a job whose caller {@link RegistryAccess} says must be pseudonymised is marked in its parameters (which HAPI stores
 * with the job, so the mark survives restarts and reaches whichever node runs the step); while the job writes its
 * files, every resource of a marked job passes through the same {@link Pseudonymiser} as {@code $registry-case}, so
 * the pseudonyms of a bulk pull and of a case pull of the same patient are equal. Only the types a registry case is
 * made of are exported pseudonymised; any other type (the access log, worklist Tasks, conformance resources, Groups…)
 * is left out of a marked export rather than risk an identifier the pseudonymiser does not know about.
 */
@Interceptor
class PseudonymisedBulkExport {

    static final String JOB_MARK = "mcs-pseudonymised";
    static final Set<String> EXPORTED_TYPES = Set.of(
            "Patient", "Organization", "Practitioner", "Device", "Procedure", "Consent", "Observation", "Condition");

    private final RegistryAccess access;
    private final Pseudonymiser pseudonymiser;
    private final DaoRegistry daos;

    PseudonymisedBulkExport(RegistryAccess access, Pseudonymiser pseudonymiser, DaoRegistry daos) {
        this.access = access;
        this.pseudonymiser = pseudonymiser;
        this.daos = daos;
    }

    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void markPseudonymised(BulkExportJobParameters parameters, RequestDetails request) {
        if (!access.mustPseudonymise(request)) {
            return;
        }
        refuseIdentifyingFilters(parameters.getFilters(), "_typeFilter");
        refuseIdentifyingFilters(parameters.getPostFetchFilterUrls(), "_typePostFetchFilterUrl");
        // fetch only what will be written
        Set<String> exportable = new LinkedHashSet<>(parameters.getResourceTypes());
        exportable.retainAll(EXPORTED_TYPES);
        if (exportable.isEmpty()) {
            throw ClientErrors.invalid(
                    "MCS-0831: a pseudonymised export (no identifiable-data grant) carries only "
                            + String.join(", ", new TreeSet<>(EXPORTED_TYPES)) + "; none of them was asked for",
                    "_type");
        }
        parameters.setResourceTypes(exportable);
        parameters.setUserData(JOB_MARK, Boolean.TRUE);
    }

    /**
     * A filter on the patient's own data (name, NHS number, birth date, address...) would tell a registry which
     * pseudonym belongs to whom: a pseudonymised export takes no filter on Patient and no chained or reverse-chained
     * parameter in any filter. HAPI decodes a filter's parameter names once more when it runs it, so the names are
     * decoded until nothing changes before they are checked.
     */
    private static void refuseIdentifyingFilters(Collection<String> filters, String parameter) {
        for (String filter : filters == null ? List.<String>of() : filters) {
            String decoded = fullyDecoded(filter);
            int query = decoded.indexOf('?');
            String type = query < 0 ? decoded : decoded.substring(0, query);
            String names = query < 0 ? "" : decoded.substring(query + 1).replaceAll("=[^&]*", "");
            if (type.equals("Patient") || names.contains(".") || names.contains("_has")) {
                throw ClientErrors.invalid(
                        "MCS-0830: a pseudonymised export (no identifiable-data grant) takes no " + parameter
                                + " on Patient and no chained parameters; refused: " + filter,
                        parameter);
            }
        }
    }

    private static String fullyDecoded(String value) {
        String current = value;
        for (int i = 0; i < 5; i++) {
            String next;
            try {
                next = URLDecoder.decode(current.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return current;
            }
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** @return false to leave the resource out of the export file */
    @Hook(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION)
    public boolean pseudonymise(BulkExportJobParameters parameters, IBaseResource resource) {
        if (!isMarked(parameters)) {
            return true;
        }
        if (!EXPORTED_TYPES.contains(resource.fhirType())) {
            return false;
        }
        Date insertionStart = "Patient".equals(resource.fhirType())
                ? firstInsertionStart(resource.getIdElement().getIdPart())
                : null;
        pseudonymiser.pseudonymise((Resource) resource, insertionStart);
        return true;
    }

    static boolean isMarked(BulkExportJobParameters parameters) {
        return Boolean.TRUE.equals(parameters.getUserData().get(JOB_MARK));
    }

    /** The pseudonymised Patient carries its age at its first pump insertion instead of its birth date. */
    private Date firstInsertionStart(String patientId) {
        SearchParameterMap insertions = SearchParameterMap.newSynchronous()
                .add(Procedure.SP_SUBJECT, new ReferenceParam("Patient/" + patientId))
                .add(Procedure.SP_CODE, new TokenParam(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE));
        return daos
                .getResourceDao(Procedure.class)
                .search(insertions, new SystemRequestDetails())
                .getAllResources()
                .stream()
                .map(p -> CaseDates.instant(CaseDates.performed((Procedure) p)))
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .map(Date::from)
                .orElse(null);
    }
}
