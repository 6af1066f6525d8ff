package io.ordersaga.platform.axon;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingCommandTargetResolverTest {

    record OnRecordComponent(@TargetAggregateIdentifier String sku, int quantity) {
    }

    static class OnField {
        @TargetAggregateIdentifier
        private final String id;

        OnField(String id) {
            this.id = id;
        }
    }

    static class OnMethod {
        @TargetAggregateIdentifier
        String target() {
            return "from-method";
        }
    }

    record Versioned(@TargetAggregateIdentifier String id, @TargetAggregateVersion Long version) {
    }

    record NoTarget(String id) {
    }

    private final CachingCommandTargetResolver resolver = new CachingCommandTargetResolver();
    private final AnnotationCommandTargetResolver axons = AnnotationCommandTargetResolver.builder().build();

    @Test
    void findsTheSameTargetAsAxonsResolverWhereverTheAnnotationIs() {
        for (Object command : new Object[]{new OnRecordComponent("LAPTOP-15", 2), new OnField("order-1"),
                new OnMethod(), new Versioned("order-2", 7L)}) {
            VersionedAggregateIdentifier expected = axons.resolveTarget(message(command));
            VersionedAggregateIdentifier found = resolver.resolveTarget(message(command));
            assertThat(found.getIdentifier()).as(command.getClass().getSimpleName())
                    .isEqualTo(expected.getIdentifier());
            assertThat(found.getVersion()).as(command.getClass().getSimpleName()).isEqualTo(expected.getVersion());
        }
        assertThat(resolver.resolveTarget(message(new OnRecordComponent("MOUSE-01", 1))).getIdentifier())
                .as("a second command of a class already seen").isEqualTo("MOUSE-01");
    }

    @Test
    void refusesACommandWithoutATargetOrWithoutItsIdentifierAsAxonDoes() {
        assertThatThrownBy(() -> resolver.resolveTarget(message(new NoTarget("x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolver.resolveTarget(message(new OnRecordComponent(null, 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static GenericCommandMessage<Object> message(Object command) {
        return new GenericCommandMessage<>(command);
    }
}
