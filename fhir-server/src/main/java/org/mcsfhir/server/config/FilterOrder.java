package org.mcsfhir.server.config;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.Ordered;

/**
 * The order of the servlet filters in front of every request, in one place: each check runs before anything that
 * would spend effort on a request it refuses. Spring Security's filter chain follows at
 * {@link SecurityProperties#DEFAULT_FILTER_ORDER} (-100), then HAPI's RestfulServer and Spring MVC.
 */
public final class FilterOrder {

    /** The request line (path segments, method): before anything parses the path. */
    public static final int REQUEST_LINE = Ordered.HIGHEST_PRECEDENCE + 5;
    /** The bytes on the wire ({@code mcs.fhir.max-request-size}): before the body is read. */
    public static final int REQUEST_SIZE = Ordered.HIGHEST_PRECEDENCE + 10;
    /** The body's decompressed size and structure ({@code mcs.limits.*}): before anything parses it. */
    public static final int BODY_LIMITS = Ordered.HIGHEST_PRECEDENCE + 20;

    private FilterOrder() {}
}
