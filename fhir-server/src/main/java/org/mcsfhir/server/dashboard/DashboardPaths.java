package org.mcsfhir.server.dashboard;

/**
 * Where the governance dashboard lives. Its static files carry no data, so they load without a token; every figure
 * the page shows comes from {@code /fhir}, which stays protected as for any other client.
 */
public final class DashboardPaths {

    public static final String HOME = "/dashboard/";
    public static final String CONFIG = "/dashboard/config.json";

    /** The paths a browser loads before it has a token: the redirect at the root, the page, and its libraries. */
    public static final String[] PUBLIC = {"/", "/dashboard", "/dashboard/**", "/webjars/**"};

    private DashboardPaths() {}
}
