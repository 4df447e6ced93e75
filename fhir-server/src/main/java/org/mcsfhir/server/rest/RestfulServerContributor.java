package org.mcsfhir.server.rest;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * How a feature plugs its providers and interceptors into the one FHIR endpoint: declare a bean implementing this
 * interface in the feature's own configuration, instead of growing a central wiring method.
 */
@FunctionalInterface
public interface RestfulServerContributor {

    void contributeTo(RestfulServer server);
}
