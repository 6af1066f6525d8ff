package io.ordersaga.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authenticates a request that carries {@code X-Api-Key}: its client is the one whose key it is (compared in constant
 * time). A key that is no client's is refused at once, {@code 401}; a request without a key goes on anonymous, and
 * Spring Security's authorization decides whether that is enough.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";

    private final Map<String, byte[]> keys = new LinkedHashMap<>();
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiKeyAuthenticationFilter(Map<String, String> apiKeys) {
        apiKeys.forEach((client, key) -> {
            if (key != null && !key.isBlank()) {
                keys.put(client, key.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        String client = null;
        for (Map.Entry<String, byte[]> key : keys.entrySet()) {
            if (MessageDigest.isEqual(key.getValue(), bytes)) {
                client = key.getKey();
            }
        }
        if (client == null) {
            Problems.write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
                    "The API key (" + HEADER + ") is not valid");
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(client, null,
                AuthorityUtils.createAuthorityList("ROLE_CLIENT")));
        contexts.setContext(context);
        chain.doFilter(request, response);
    }
}
