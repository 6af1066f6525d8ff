package io.ordersaga.platform.security;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** A refusal written before any controller runs: problem+json, as every other error of the API. */
final class Problems {

    private Problems() {
    }

    static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}");
    }
}
