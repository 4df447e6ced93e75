package org.mcsfhir.server.storage;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.util.IModelVisitor2;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.DecimalType;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * Refuses, before anything is stored (and before validation), values that the server would store but could not give
 * back: such a record fails every read, search, {@code $everything} and registry case that would include it. Seen
 * before this check: a decimal {@code 1e-999999} was stored and every read of it failed (the JSON parser's number
 * length limit); {@code 1e999999} took half a minute of CPU and then failed; a control character in a string was
 * stored and every XML read of it broke; an unpaired surrogate failed in the database layer with a 500.
 *
 * <p>The limits (README, "The API"): a decimal has at most {@value #MAX_DIGITS} significant digits and, unless zero,
 * a magnitude between 1e{@value #MIN_EXPONENT} and 1e{@value #MAX_EXPONENT} (what a double holds, as HAPI indexes
 * quantities); a string (every primitive, narrative included) carries no character FHIR forbids — code points below
 * U+0020 other than tab, line feed and carriage return — no unpaired surrogate and no U+FFFE/U+FFFF. A refusal is a
 * 400 {@code MCS-0430} naming the element's path.
 */
@Interceptor
class StorableValues {

    static final int MAX_DIGITS = 40;
    static final int MIN_EXPONENT = -300;
    static final int MAX_EXPONENT = 300;

    private final FhirContext fhirContext;

    StorableValues(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -20)
    public void beforeCreate(IBaseResource resource) {
        check(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -20)
    public void beforeUpdate(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    void check(IBaseResource resource) {
        fhirContext.newTerser().visit(resource, new IModelVisitor2() {
            @Override
            public boolean acceptElement(
                    IBase element,
                    List<IBase> containing,
                    List<BaseRuntimeChildDefinition> children,
                    List<BaseRuntimeElementDefinition<?>> definitions) {
                if (element instanceof IPrimitiveType<?> primitive) {
                    problem(primitive).ifPresent(problem -> {
                        throw ClientErrors.invalid(
                                "MCS-0430: " + problem + " cannot be stored and read back",
                                path(resource, containing, children, element));
                    });
                }
                return true;
            }
        });
    }

    /** What is wrong with one primitive value, if anything. */
    static Optional<String> problem(IPrimitiveType<?> primitive) {
        if (primitive instanceof DecimalType decimal && decimal.getValue() != null) {
            return decimalProblem(decimal.getValue());
        }
        String text = primitive.getValueAsString();
        return text == null ? Optional.empty() : textProblem(text);
    }

    static Optional<String> decimalProblem(BigDecimal value) {
        if (value.precision() > MAX_DIGITS) {
            return Optional.of("a decimal with more than " + MAX_DIGITS + " significant digits");
        }
        if (value.signum() != 0) {
            // the exponent of the leading digit: precision - scale - 1
            long exponent = (long) value.precision() - value.scale() - 1;
            if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
                return Optional.of("a decimal outside 1e" + MIN_EXPONENT + " .. 1e" + MAX_EXPONENT + " in magnitude");
            }
        }
        return Optional.empty();
    }

    static Optional<String> textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return Optional.of("a control character (U+%04X)".formatted((int) c));
            }
            if (c == 0xFFFE || c == 0xFFFF) {
                return Optional.of("a non-character (U+%04X)".formatted((int) c));
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of("an unpaired surrogate (U+%04X)".formatted((int) c));
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("an unpaired surrogate (U+%04X)".formatted((int) c));
            }
        }
        return Optional.empty();
    }

    /** The element's path as the client wrote it ({@code Observation.valueQuantity.value}: choices by their type). */
    private String path(
            IBaseResource resource, List<IBase> containing, List<BaseRuntimeChildDefinition> children, IBase element) {
        StringBuilder path = new StringBuilder(fhirContext.getResourceType(resource));
        for (int i = 0; i < children.size(); i++) {
            IBase value = i + 1 < containing.size() ? containing.get(i + 1) : element;
            String name = children.get(i).getChildNameByDatatype(value.getClass());
            path.append('.').append(name != null ? name : children.get(i).getElementName());
        }
        return path.toString();
    }
}
