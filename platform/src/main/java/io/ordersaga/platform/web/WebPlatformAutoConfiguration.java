package io.ordersaga.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
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

    @Bean
    public ApiExceptionHandler apiExceptionHandler() {
        return new ApiExceptionHandler();
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
     * With {@code ordersaga.admin.token} set (environment: {@code ORDERSAGA_ADMIN_TOKEN}), {@code /admin/*} needs it;
     * without, those endpoints are open to whoever reaches the port, as on a developer's machine.
     */
    @Bean
    public FilterRegistrationBean<BearerCredentialFilter> operatorAccessFilter(
            @Value("${ordersaga.admin.token:}") String token) {
        FilterRegistrationBean<BearerCredentialFilter> registration =
                new FilterRegistrationBean<>(new BearerCredentialFilter(token, "the operator credential"));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        registration.addUrlPatterns("/admin/*");
        if (token.isBlank()) {
            registration.setEnabled(false);
            log.info("The operator endpoints (/admin/*) are open: set ordersaga.admin.token (ORDERSAGA_ADMIN_TOKEN)"
                    + " to require a credential");
        }
        return registration;
    }
}
