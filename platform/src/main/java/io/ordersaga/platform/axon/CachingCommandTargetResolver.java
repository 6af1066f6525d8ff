package io.ordersaga.platform.axon;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.ReflectionUtils;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Finds a command's target aggregate as Axon's {@link AnnotationCommandTargetResolver} does (the field or method
 * annotated with {@link TargetAggregateIdentifier}), but looks for that member once per command class instead of
 * for every command: Axon's resolver walks every method and field of the class and their meta-annotations each time,
 * which was a fifth of everything the app allocated under load. Commands that name a version
 * ({@link TargetAggregateVersion}) are left to Axon's resolver.
 * <p>
 * A bean of this type is used by every aggregate's command handler (Axon takes the {@link CommandTargetResolver}
 * from the application context) and by the saga's dispatcher to tell which aggregate a command is for.
 */
public class CachingCommandTargetResolver implements CommandTargetResolver {

    private final CommandTargetResolver annotations = AnnotationCommandTargetResolver.builder().build();

    private final ClassValue<Target> targets = new ClassValue<>() {
        @Override
        protected Target computeValue(Class<?> type) {
            return Target.of(type);
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Target target = targets.get(command.getPayloadType());
        if (target.versioned() || target.identifier().isEmpty()) {
            return annotations.resolveTarget(command); // its answer, or its error for a command with no target
        }
        Object identifier = target.read(command.getPayload());
        if (identifier == null) {
            return annotations.resolveTarget(command); // Axon's error for a missing identifier
        }
        return new VersionedAggregateIdentifier(identifier, null);
    }

    /** The member of a command class that holds its target's identifier, and whether the class names a version. */
    private record Target(Optional<AccessibleObject> identifier, boolean versioned) {

        static Target of(Class<?> type) {
            Optional<AccessibleObject> identifier = Optional.empty();
            boolean versioned = false;
            for (Method method : ReflectionUtils.methodsOf(type)) {
                if (identifier.isEmpty() && AnnotationUtils.isAnnotationPresent(method, TargetAggregateIdentifier.class)
                        && method.getParameterCount() == 0) {
                    identifier = Optional.of(ReflectionUtils.ensureAccessible(method));
                }
                versioned |= AnnotationUtils.isAnnotationPresent(method, TargetAggregateVersion.class);
            }
            for (Field field : ReflectionUtils.fieldsOf(type)) {
                if (identifier.isEmpty() && AnnotationUtils.isAnnotationPresent(field, TargetAggregateIdentifier.class)) {
                    identifier = Optional.of(ReflectionUtils.ensureAccessible(field));
                }
                versioned |= AnnotationUtils.isAnnotationPresent(field, TargetAggregateVersion.class);
            }
            return new Target(identifier, versioned);
        }

        Object read(Object command) {
            AccessibleObject member = identifier.orElseThrow();
            try {
                return member instanceof Method method ? method.invoke(command) : ((Field) member).get(command);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("Could not read the target aggregate's identifier of "
                        + ((Member) member).getDeclaringClass().getName(), e);
            }
        }
    }
}
