package io.ordersaga.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * problem+json for every client error, a cap on request bodies, and the operator credential on {@code /admin/*}. Configured before Spring MVC's auto-configuration
 * so that its generic problem-details handler, which would answer "Failed to read request", backs off.
 */
@AutoConfiguration(before = WebMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebPlatformAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebPlatformAutoConfiguration.class);

    /** The operator endpoints: every path under {@code /admin}, as a servlet filter's URL pattern. */
    public static final String OPERATOR_PATHS = "/admin/*";

    /**
     * problem+json answers; a request the database was not there for is answered {@code 503} with a
     * {@code Retry-After} of {@code ordersaga.http.database-unavailable-retry-after} (5 s).
     */
    @Bean
    public ApiExceptionHandler apiExceptionHandler(
            @Value("${ordersaga.http.database-unavailable-retry-after:5s}") String databaseRetryAfter) {
        // parsed here ("5s", "PT5S"): a context without Spring Boot's conversion service cannot convert a Duration
        return new ApiExceptionHandler(DurationStyle.detectAndParse(databaseRetryAfter));
    }

    @Bean
    public FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${ordersaga.http.max-body-bytes:65536}") int maxBytes) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(maxBytes));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /**
     * {@code /admin/*} needs the operator credential, {@code ordersaga.admin.token} (environment:
     * {@code ORDERSAGA_ADMIN_TOKEN}); without one configured, those endpoints refuse every call.
     */
    @Bean
    public FilterRegistrationBean<BearerCredentialFilter> operatorAccessFilter(
            @Value("${ordersaga.admin.token:}") String token) {
        BearerCredentialFilter filter = new BearerCredentialFilter(token, "the operator credential",
                "ordersaga.admin.token (ORDERSAGA_ADMIN_TOKEN)");
        FilterRegistrationBean<BearerCredentialFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        registration.addUrlPatterns(OPERATOR_PATHS);
        if (!filter.isConfigured()) {
            log.info("The operator endpoints (/admin/*) refuse every call: set ordersaga.admin.token"
                    + " (ORDERSAGA_ADMIN_TOKEN) to open them to its holder");
        }
        return registration;
    }
}
