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
 */
public class BearerCredentialFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerCredentialFilter.class);

    private final byte[] expected;
    private final String credentialName;

    /**
     * @param credential     the expected bearer credential
     * @param credentialName what the credential is, as the refusal and the log name it ("the operator credential")
     */
    public BearerCredentialFilter(String credential, String credentialName) {
        this.expected = ("Bearer " + credential).getBytes(StandardCharsets.UTF_8);
        this.credentialName = credentialName;
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
        log.warn("Refused a call to {} without {}, from {}", request.getRequestURI(), credentialName,
                request.getRemoteAddr());
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"This endpoint needs " + credentialName + " (Authorization: Bearer ...)\"}");
    }
}
