package org.mcsfhir.server.security;

/**
 * Paths a feature serves to a browser before it has a token: files that hold no data (a page, its scripts and
 * libraries). Features contribute them as beans; the security feature lets them through and keeps every data path
 * protected. A port, so that security needs to know no feature's paths.
 */
@FunctionalInterface
public interface PublicPaths {

    /** Spring path patterns, e.g. {@code /dashboard/**}. */
    String[] patterns();
}
