package org.mcsfhir.server.security;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.Arrays;
import org.hl7.fhir.r4.model.Bundle;
import org.mcsfhir.server.config.McsFhirProperties;
import org.mcsfhir.server.errors.OperationOutcomes;
import org.mcsfhir.server.registry.RegistryAccess;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * The security feature's wiring. Two layers:
 * <ul>
 *   <li>Spring Security at the servlet level: answers CORS preflights from the allowed browser origins
 *       ({@link BrowserOrigins}) before authentication, verifies bearer JWTs (OAuth2 resource server), answers 401/403 with an
 *       OperationOutcome and {@code WWW-Authenticate}, lets through only the public documents ({@code /fhir/metadata},
 *       the SMART configuration, OpenAPI, health, the dashboard's files), sends {@code /fhir/**} to HAPI for the
 *       fine-grained decision,
 *       allows {@code /telemetry/**} to device gateways only, and denies every other path;</li>
 *   <li>HAPI interceptors on the {@code /fhir} RestfulServer: {@link CentreAuthorizationInterceptor} (rules per token),
 *       {@link CentreSearchNarrowingInterceptor}, {@link AccessGuardInterceptor}, {@link ReferenceGuard} (references
 *       stay inside the writer's centre), {@link OperationOutputGuard} (operations return only what a read would),
 *       BALP audit and denial audit.</li>
 * </ul>
 * Without an issuer ({@code mcs.security.issuer} empty) everything is open, which {@link OpenModeGuard} allows only on
 * loopback.
 */
@Configuration
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    static final String REALM = "mcs-fhir";

    @Bean
    OpenModeGuard openModeGuard(SecurityProperties properties, Environment environment) {
        return new OpenModeGuard(properties, environment.getProperty("server.address", ""));
    }

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http,
            SecurityProperties properties,
            ObjectProvider<JwtDecoder> decoder,
            McsFhirProperties fhirProperties,
            ObjectProvider<PublicPaths> publicPaths)
            throws Exception {
        CorsConfigurationSource origins =
                BrowserOrigins.source(fhirProperties.fhir().cors());
        http.cors(cors -> cors.configurationSource(origins))
                .addFilterBefore(new BrowserOrigins.RefusedOriginFilter(origins), CorsFilter.class);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> {});
        if (!properties.authenticationEnabled()) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        } else {
            BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
            bearer.setRealmName(REALM);
            BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();
            denied.setRealmName(REALM);
            http.oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder.getObject()))
                            .authenticationEntryPoint((request, response, exception) -> {
                                bearer.commence(request, response, exception);
                                OperationOutcomes.write(
                                        request,
                                        response,
                                        401,
                                        "login",
                                        "MCS-0401: a valid bearer token is required (missing, expired, or not issued by the configured authorization server)");
                            })
                            .accessDeniedHandler((request, response, exception) -> {
                                denied.handle(request, response, exception);
                                OperationOutcomes.write(
                                        request, response, 403, "forbidden", CentreAuthorizationInterceptor.FORBIDDEN);
                            }))
                    .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(
                                    DispatcherType.ERROR, DispatcherType.FORWARD)
                            .permitAll()
                            .requestMatchers(
                                    "/fhir/metadata",
                                    "/fhir/.well-known/smart-configuration",
                                    "/fhir/api-docs",
                                    "/fhir/swagger-ui/**")
                            .permitAll()
                            .requestMatchers("/actuator/health", "/actuator/health/**")
                            .permitAll()
                            // e.g. the dashboard's files: they hold no data, what it shows comes from /fhir
                            .requestMatchers(publicPaths
                                    .orderedStream()
                                    .flatMap(p -> Arrays.stream(p.patterns()))
                                    .toArray(String[]::new))
                            .permitAll()
                            .requestMatchers("/fhir", "/fhir/**")
                            .authenticated()
                            .requestMatchers("/telemetry/**")
                            .access(deviceGatewaysOnly())
                            .anyRequest()
                            .denyAll());
        }
        http.addFilterAfter(
                new ClientIdentityFilter(properties.authenticationEnabled()), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    private static AuthorizationManager<RequestAuthorizationContext> deviceGatewaysOnly() {
        return (authentication, context) -> {
            ClientIdentity client = authentication.get() instanceof JwtAuthenticationToken token
                    ? ClientIdentity.fromJwt(token.getToken())
                    : null;
            return new AuthorizationDecision(client != null
                    && client.is(ClientKind.DEVICE_GATEWAY)
                    && client.scopes().allows("Observation", SmartScopes.Permission.CREATE));
        };
    }

    @Bean
    @ConditionalOnExpression("'${mcs.security.issuer:}' != ''")
    JwtDecoder jwtDecoder(SecurityProperties properties) {
        return IssuerJwtDecoder.lazy(properties);
    }

    /** No user accounts: this server takes bearer tokens only (keeps Spring Boot from inventing a default user). */
    @Bean
    UserDetailsService noUsers() {
        return new InMemoryUserDetailsManager();
    }

    @Bean
    CentreDirectory centreDirectory(FhirContext fhirContext, DaoRegistry daoRegistry) {
        return new CentreDirectory(fhirContext, daoRegistry);
    }

    @Bean
    CentreAccess centreAccess(CentreDirectory directory) {
        return new DefaultCentreAccess(directory);
    }

    /** Replaces the registry feature's default (pseudonymise only when asked) with the token's grants. */
    @Bean
    RegistryAccess registryAccess() {
        return new TokenRegistryAccess();
    }

    @Bean
    AccessRules accessRules(FhirContext fhirContext, CentreDirectory directory) {
        return new AccessRules(fhirContext, directory);
    }

    @Bean
    AuditReferencesDoNotBlockDeletes auditReferencesDoNotBlockDeletes(IInterceptorService storageInterceptors) {
        AuditReferencesDoNotBlockDeletes interceptor = new AuditReferencesDoNotBlockDeletes();
        storageInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /** Runs after Spring Security's chain (default order), so the client's identity is known. */
    @Bean
    FilterRegistrationBean<GatewayAuditFilter> gatewayAuditFilter(
            DaoAuditEventSink sink, SecurityProperties properties, Clock clock) {
        FilterRegistrationBean<GatewayAuditFilter> registration =
                new FilterRegistrationBean<>(new GatewayAuditFilter(sink, clock));
        registration.addUrlPatterns("/telemetry/*");
        registration.setEnabled(properties.accessLog().enabled());
        return registration;
    }

    /** For the telemetry gateways outside {@code /fhir} (NDJSON and HL7 v2): one AuditEvent per write. */
    @Bean
    GatewayAudit gatewayAudit(DaoAuditEventSink sink, SecurityProperties properties, Clock clock) {
        return new GatewayAudit(sink, properties.accessLog().enabled(), clock);
    }

    @Bean(destroyMethod = "close")
    DaoAuditEventSink auditEventSink(IFhirSystemDao<Bundle, ?> systemDao, SecurityProperties properties) {
        return new DaoAuditEventSink(systemDao, properties.accessLog().queueCapacity());
    }

    @Bean
    RestfulServerContributor securityInterceptors(
            SecurityProperties properties,
            AccessRules accessRules,
            CentreDirectory directory,
            DaoAuditEventSink sink,
            FhirContext fhirContext,
            IJobCoordinator jobs,
            Clock clock) {
        return server -> {
            CentrePatients centrePatients = new CentrePatients(directory);
            server.registerInterceptor(new SmartConfigurationInterceptor(properties));
            server.registerInterceptor(new AccessGuardInterceptor(accessRules));
            server.registerInterceptor(new CentreSearchNarrowingInterceptor(centrePatients));
            CentreAuthorizationInterceptor authorization =
                    new CentreAuthorizationInterceptor(accessRules, centrePatients);
            server.registerInterceptor(authorization);
            server.registerInterceptor(new OperationOutputGuard(fhirContext, authorization));
            if (properties.referenceCheck()) {
                server.registerInterceptor(new ReferenceGuard(fhirContext, directory));
            } else {
                log.warn("MCS-0002: mcs.security.reference-check is off: centre-bound clients may write references"
                        + " into other centres' records (for measuring the check's cost only)");
            }
            server.registerInterceptor(new BulkExportOwnerInterceptor(fhirContext, jobs));
            if (properties.accessLog().enabled()) {
                AuditContext context = new AuditContext();
                server.registerInterceptor(new BalpAuditCaptureInterceptor(sink, context));
                server.registerInterceptor(new DeniedAccessAuditInterceptor(sink, context, clock));
            }
        };
    }
}
