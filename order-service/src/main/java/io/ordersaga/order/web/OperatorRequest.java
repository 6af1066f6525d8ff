package io.ordersaga.order.web;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of an operator's action on an order: who acts ({@code operator}, optional) and why ({@code reason}; required
 * to cancel). Unknown fields are refused.
 */
public final class OperatorRequest {

    static final String OPERATOR_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$";
    private static final String DEFAULT_OPERATOR = "operator";

    private OperatorRequest() {
    }

    /** Retry, skip: both fields optional, and the body too. */
    @Schema(name = "OperatorAction")
    public record Action(
            @Pattern(regexp = OPERATOR_PATTERN, message = "must be 1 to 64 letters, digits and . _ @ -")
            String operator,
            @Size(max = 500) String reason) {

        private static final Action NONE = new Action(null, null);

        /** The body as sent, or one with neither field when none was. */
        static Action orNone(Action body) {
            return body == null ? NONE : body;
        }

        String who() {
            return OperatorRequest.who(operator);
        }
    }

    /** Cancel: the reason is required, and becomes the order's. */
    @Schema(name = "OperatorCancellation")
    public record Cancel(
            @Pattern(regexp = OPERATOR_PATTERN, message = "must be 1 to 64 letters, digits and . _ @ -")
            String operator,
            @NotBlank @Size(max = 500) String reason) {

        String who() {
            return OperatorRequest.who(operator);
        }
    }

    private static String who(String operator) {
        return operator == null ? DEFAULT_OPERATOR : operator;
    }
}
