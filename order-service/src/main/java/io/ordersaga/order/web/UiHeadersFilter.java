package io.ordersaga.order.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The pages load nothing from elsewhere and run no inline script: a Content Security Policy that says so. Mermaid
 * styles its SVG inline, hence {@code style-src 'unsafe-inline'}.
 */
public class UiHeadersFilter extends OncePerRequestFilter {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none';"
            + " base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /** On the pages only ({@code /ui/*}). */
    @Configuration
    static class Registration {

        @Bean
        public FilterRegistrationBean<UiHeadersFilter> uiHeaders() {
            FilterRegistrationBean<UiHeadersFilter> registration = new FilterRegistrationBean<>(new UiHeadersFilter());
            registration.addUrlPatterns("/ui/*");
            return registration;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }
}
