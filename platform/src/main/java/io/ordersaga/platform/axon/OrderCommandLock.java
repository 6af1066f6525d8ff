package io.ordersaga.platform.axon;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * One order's commands are stored one at a time, whichever service handles them: the transaction that handles a
 * command about an order first takes a PostgreSQL advisory lock on the order id, held until it commits or rolls back.
 *
 * <p>So the event store's order of one order's events is the order in which their transactions decided them: a
 * command that decides from what is stored about its order (the Order aggregate refusing a failed attempt of a step
 * that has answered meanwhile) sees every event stored before its own, and every later one is stored after it — also
 * when the two come from different processes. Commands about different orders never wait for each other (two ids
 * whose hashes collide do, briefly). A transaction takes at most one such lock: every command is about one order.
 */
public class OrderCommandLock implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final JdbcTemplate jdbc;

    public OrderCommandLock(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork,
                         InterceptorChain interceptorChain) throws Exception {
        if (unitOfWork.getMessage().getPayload() instanceof OrderScoped scoped && scoped.orderId() != null) {
            // the unit of work's transaction is open: the lock joins it and ends with it
            jdbc.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", resultSet -> null, scoped.orderId());
        }
        return interceptorChain.proceed();
    }
}
