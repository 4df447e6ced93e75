package org.mcsfhir.server.cases;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.FhirTerser;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A DaoRegistry over a few resources in memory, so the features' loaders can be tested without a server: read by id,
 * and search by {@code _id} and the reference and token parameters the loaders use (date parameters match all: the
 * loaders date-filter what they get). An unknown parameter fails the test rather than matching silently.
 */
public final class InMemoryDaos extends DaoRegistry {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Map<String, String> PATHS = Map.of(
            "subject",
            "subject",
            "focus",
            "focus",
            "part-of",
            "partOf",
            "data",
            "provision.data.reference",
            "device",
            "device",
            "code",
            "code",
            "category",
            "category");

    private final Map<String, Resource> resources = new LinkedHashMap<>();

    public InMemoryDaos(Resource... stored) {
        super(FHIR);
        for (Resource resource : stored) {
            resources.put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
        }
    }

    @Override
    public FhirContext getFhirContext() {
        return FHIR;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends IBaseResource> IFhirResourceDao<R> getResourceDao(Class<R> type) {
        String name = FHIR.getResourceType(type);
        return (IFhirResourceDao<R>) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {IFhirResourceDao.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "read" -> read(name, (IIdType) args[0]);
                    case "search" -> new SimpleBundleProvider(search(name, (SearchParameterMap) args[0]));
                    case "getResourceType" -> type;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Resource read(String type, IIdType id) {
        Resource resource = resources.get(type + "/" + id.getIdPart());
        if (resource == null) {
            throw new ResourceNotFoundException(id);
        }
        return resource.copy();
    }

    private List<IBaseResource> search(String type, SearchParameterMap map) {
        List<IBaseResource> found = new ArrayList<>();
        for (Resource resource : resources.values()) {
            if (resource.fhirType().equals(type)
                    && map.entrySet().stream()
                            .allMatch(param -> param.getValue().stream()
                                    .allMatch(or ->
                                            or.stream().anyMatch(value -> matches(resource, param.getKey(), value))))) {
                found.add(resource.copy());
            }
        }
        return found;
    }

    private static boolean matches(Resource resource, String param, IQueryParameterType value) {
        if (value instanceof DateParam) {
            return true;
        }
        if (param.equals("_id") && value instanceof TokenParam token) {
            return resource.getIdElement().getIdPart().equals(token.getValue());
        }
        String path = PATHS.get(param);
        if (path == null) {
            throw new UnsupportedOperationException("search parameter " + param);
        }
        List<IBase> values = new FhirTerser(FHIR).getValues(resource, resource.fhirType() + "." + path);
        for (IBase element : values) {
            if (value instanceof ReferenceParam ref
                    && element instanceof Reference reference
                    && CaseEvidence.sameResource(reference, ref.getValue())) {
                return true;
            }
            if (value instanceof TokenParam token
                    && element instanceof CodeableConcept concept
                    && concept.getCoding().stream()
                            .anyMatch(c -> token.getValue().equals(c.getCode())
                                    && (token.getSystem() == null
                                            || token.getSystem().equals(c.getSystem())))) {
                return true;
            }
        }
        return false;
    }
}
