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
 * Lets a request through only with {@code Authorization: Bearer <credential>}; any other request is answered 401
 * (problem+json) before a byte of its body is read or a handler is reached. Guards the endpoints through which the
 * services send each other commands (whose controller deserializes whatever it is sent) and the operator endpoints.
 * Without a credential configured it refuses every request: closed, never open, by default.
 */
public class BearerCredentialFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerCredentialFilter.class);

    private final byte[] expected;
    private final String credentialName;
    private final String setting;

    /**
     * @param credential     the expected bearer credential; blank: none is configured, and every request is refused
     * @param credentialName what the credential is, as the refusal and the log name it ("the operator credential")
     * @param setting        where it is configured, as the refusal names it when none is ("ORDERSAGA_ADMIN_TOKEN")
     */
    public BearerCredentialFilter(String credential, String credentialName, String setting) {
        this.expected = credential == null || credential.isBlank() ? null
                : ("Bearer " + credential).getBytes(StandardCharsets.UTF_8);
        this.credentialName = credentialName;
        this.setting = setting;
    }

    /** Whether a credential is configured at all (without one, every request is refused). */
    public boolean isConfigured() {
        return expected != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (expected != null && authorization != null
                && MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        log.warn("Refused a call to {} without {}, from {}", request.getRequestURI(), credentialName,
                request.getRemoteAddr());
        String detail = expected == null
                ? "This endpoint needs " + credentialName + ", and none is configured: start the service with "
                        + setting + " set, then send it (Authorization: Bearer ...)"
                : "This endpoint needs " + credentialName + " (Authorization: Bearer ...)";
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"" + detail + "\"}");
    }
}
