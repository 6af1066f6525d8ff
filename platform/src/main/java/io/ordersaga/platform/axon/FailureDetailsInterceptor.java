package io.ordersaga.platform.axon;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.HandlerExecutionException;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Makes the kind of a command's failure travel with it. An exception thrown by a command handler does not cross a
 * process boundary, only a {@link CommandExecutionException}'s message and details do; so every other exception is
 * wrapped in one whose details are the original exception's type (say {@code ProviderUnavailableException}), which is
 * what the saga's retry policies match. Exceptions that are already {@link HandlerExecutionException}s (an aggregate's
 * own coded refusals) pass unchanged.
 */
public class FailureDetailsInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        try {
            return interceptorChain.proceed();
        } catch (HandlerExecutionException coded) {
            throw coded;
        } catch (Exception failure) {
            throw new CommandExecutionException(failure.getMessage(), failure, failure.getClass().getSimpleName());
        }
    }
}
