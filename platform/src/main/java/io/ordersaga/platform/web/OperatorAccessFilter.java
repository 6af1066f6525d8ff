package io.ordersaga.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operator endpoints ({@code /admin/*}: the audit log's rebuild and export, fault injection where enabled) answer
 * only a request that carries the operator credential, {@code Authorization: Bearer <ordersaga.admin.token>}. Without
 * it the answer is 401 and the endpoint is never reached.
 */
class OperatorAccessFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(OperatorAccessFilter.class);

    private final byte[] expected;

    OperatorAccessFilter(String token) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null
                && MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        log.warn("Refused a call to {} without the operator credential, from {}", request.getRequestURI(),
                request.getRemoteAddr());
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"The operator endpoints need the operator credential (Authorization: Bearer ...)\"}");
    }
}
