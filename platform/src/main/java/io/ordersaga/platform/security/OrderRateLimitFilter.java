package io.ordersaga.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;

/**
 * A token bucket per client (Bucket4j) on {@code POST /orders}: a client — the API key's, or else the caller's
 * address — places at most {@code orders} orders per {@code period}; one more is answered {@code 429} with
 * {@code Retry-After} (the seconds until a token is back), before the controller runs, so nothing is stored. The
 * buckets of clients not seen for a while are dropped (Caffeine), so the map stays bounded.
 */
class OrderRateLimitFilter extends OncePerRequestFilter {

    private final long orders;
    private final Duration period;
    private final Cache<String, Bucket> buckets;

    OrderRateLimitFilter(long orders, Duration period) {
        this.orders = orders;
        this.period = period;
        this.buckets = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(period.multipliedBy(2).plusMinutes(1)).build();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/orders".equals(request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Bucket bucket = buckets.get(client(request), client -> Bucket.builder()
                .addLimit(limit -> limit.capacity(orders).refillGreedy(orders, period))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        Problems.write(response, 429, "Too Many Requests", "At most " + orders + " orders per "
                + period.toSeconds() + " s from one client; try again in " + seconds + " s");
    }

    private static String client(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            return "client:" + authentication.getName();
        }
        return "address:" + request.getRemoteAddr();
    }
}
