package org.convergenceledger.command.system;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Function;
import org.axonframework.common.ReflectionUtils;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

/**
 * Which aggregate a command addresses: the member marked {@code @TargetAggregateIdentifier}, and the expected
 * version marked {@code @TargetAggregateVersion}, as Axon's {@code AnnotationCommandTargetResolver} finds them,
 * except that the members are looked up once per command class instead of by reflection on every command. That
 * lookup ran twice per command (the group-commit lane, then the aggregate's handler): 3 % of the command service's
 * request threads in the profile at 32 clients. The activity aggregate names this bean.
 */
@Component(CommandTargets.BEAN)
public class CommandTargets implements CommandTargetResolver {

    public static final String BEAN = "commandTargets";

    private record Members(Function<Object, Object> identifier, Function<Object, Object> version) {
    }

    private final ClassValue<Members> members = new ClassValue<>() {
        @Override
        protected Members computeValue(Class<?> type) {
            return new Members(reader(type, TargetAggregateIdentifier.class), reader(type, TargetAggregateVersion.class));
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Object payload = command.getPayload();
        Members target = members.get(command.getPayloadType());
        Object identifier = target.identifier().apply(payload);
        if (identifier == null) {
            throw new IllegalArgumentException(String.format("Invalid command. It does not identify the target "
                    + "aggregate: no @TargetAggregateIdentifier member of %s with a value",
                    command.getPayloadType().getSimpleName()));
        }
        return new VersionedAggregateIdentifier(identifier, asLong(target.version().apply(payload)));
    }

    /** The identifier alone, or null when the command names none (the lane of such a command does not matter). */
    public String identifierOf(Object command) {
        Object identifier = members.get(command.getClass()).identifier().apply(command);
        return identifier == null ? null : identifier.toString();
    }

    /** Methods first, then fields, as Axon looks; a class without the member reads null. */
    private static Function<Object, Object> reader(Class<?> type, Class<? extends Annotation> annotation) {
        for (Method method : ReflectionUtils.methodsOf(type)) {
            if (AnnotationUtils.isAnnotationPresent(method, annotation)) {
                ReflectionUtils.ensureAccessible(method);
                return payload -> invoke(method, payload);
            }
        }
        for (Field field : ReflectionUtils.fieldsOf(type)) {
            if (AnnotationUtils.isAnnotationPresent(field, annotation)) {
                return payload -> ReflectionUtils.getFieldValue(field, payload);
            }
        }
        return payload -> null;
    }

    private static Object invoke(Method method, Object payload) {
        try {
            return method.invoke(payload);
        } catch (InvocationTargetException | IllegalAccessException e) {
            throw new IllegalArgumentException("could not read " + method + " of the command", e);
        }
    }

    private static Long asLong(Object version) {
        if (version == null) {
            return null;
        }
        return version instanceof Number number ? Long.valueOf(number.longValue()) : Long.valueOf(version.toString());
    }
}
