package org.mcsfhir.server.dashboard;

import org.mcsfhir.server.security.PublicPaths;
import org.mcsfhir.server.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The governance dashboard's wiring: static files under {@code classpath:/static/dashboard/} (Spring Boot serves
 * them, and uPlot from its WebJar under {@code /webjars/}), the root redirecting to the page, its settings
 * ({@link DashboardConfigController}) and its Content-Security-Policy. docs/dashboard.md describes the page.
 */
@Configuration
@EnableConfigurationProperties(DashboardProperties.class)
class DashboardConfig implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", DashboardPaths.HOME);
        registry.addRedirectViewController("/dashboard", DashboardPaths.HOME);
        registry.addViewController(DashboardPaths.HOME).setViewName("forward:/dashboard/index.html");
    }

    /** The page, its settings and libraries load without a token (they hold no data). */
    @Bean
    PublicPaths dashboardFiles() {
        return () -> DashboardPaths.PUBLIC;
    }

    @Bean
    FilterRegistrationBean<ContentSecurityPolicyFilter> dashboardContentSecurityPolicy(SecurityProperties security) {
        FilterRegistrationBean<ContentSecurityPolicyFilter> registration =
                new FilterRegistrationBean<>(new ContentSecurityPolicyFilter(security.issuer()));
        registration.addUrlPatterns("/dashboard/*", "/dashboard");
        return registration;
    }
}
