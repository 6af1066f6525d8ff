package io.ordersaga.order.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An order's lines name each SKU once: a SKU's whole quantity stands in one line. Each repeat is reported at its own
 * line's {@code sku} ({@code items[1].sku}), naming the SKU.
 */
@Documented
@Constraint(validatedBy = EachSkuOnce.Validator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface EachSkuOnce {

    /** {@code {sku}} is the repeated SKU, passed as a message parameter (never evaluated as an expression). */
    String message() default "{sku} appears in more than one line; put its whole quantity in one line";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<EachSkuOnce, List<PlaceOrderRequest.Item>> {

        @Override
        public boolean isValid(List<PlaceOrderRequest.Item> items, ConstraintValidatorContext context) {
            if (items == null) {
                return true;
            }
            Set<String> seen = new HashSet<>();
            boolean valid = true;
            for (int i = 0; i < items.size(); i++) {
                PlaceOrderRequest.Item item = items.get(i);
                if (item != null && item.sku() != null && !seen.add(item.sku())) {
                    valid = false;
                    context.disableDefaultConstraintViolation();
                    context.unwrap(HibernateConstraintValidatorContext.class)
                            .addMessageParameter("sku", item.sku())
                            .buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                            .addPropertyNode("sku").inIterable().atIndex(i)
                            .addConstraintViolation();
                }
            }
            return valid;
        }
    }
}
