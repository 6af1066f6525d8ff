package io.ordersaga.order.audit;

import io.ordersaga.order.events.OrderEvents;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.contracts.OrderScoped;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log ({@code audit_event}): one row per stored event about an order, from every service, with when it
 * happened, which service stored it, the saga step it is about and how that went ({@link OrderEvents}).
 *
 * <p>It runs on a processor of its own ({@value #PROCESSING_GROUP}, one segment: a single writer), which
 * {@link AuditLog#rebuild()} resets to the first event. It writes this table and nothing else: replaying it sends no
 * command, starts no saga, schedules no deadline, calls no provider. A row is keyed by the event's position in the
 * event store (its {@code global_index}), so replaying an event writes nothing new.
 */
@Component
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
public class AuditProjection {

    public static final String PROCESSING_GROUP = "order-audit";

    /*
     * The row takes its key from the event's own entry in the event store. The processor's tracking token cannot give
     * it: a GapAwareTrackingToken's position is the highest index seen, and an event that fills a gap (its transaction
     * committed after a later one's) is delivered with that higher position.
     */
    private static final String INSERT = """
            INSERT INTO audit_event (global_index, event_id, occurred_at, order_id, service, aggregate_type,
                                     aggregate_id, sequence_number, event_type, step, target, attempt, outcome, detail)
            SELECT stored.global_index, stored.event_identifier, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
            FROM domain_event_entry stored
            WHERE stored.event_identifier = ?
            ON CONFLICT (global_index) DO NOTHING""";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public AuditProjection(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(OrderScoped event, EventMessage<?> message) {
        OrderEvents.Meaning meaning = OrderEvents.of(message.getPayloadType().getName(), json.valueToTree(event));
        DomainEventMessage<?> domain = message instanceof DomainEventMessage<?> stored ? stored : null;
        rows().add(new Object[]{
                Timestamp.from(message.getTimestamp()),
                event.orderId(),
                meaning.service(),
                domain == null ? null : domain.getType(),
                domain == null ? null : domain.getAggregateIdentifier(),
                domain == null ? null : domain.getSequenceNumber(),
                meaning.type(),
                meaning.step() == null ? null : meaning.step().name(),
                meaning.target(),
                meaning.attempt(),
                meaning.outcome().name(),
                meaning.detail(),
                message.getIdentifier()});
    }

    /**
     * The rows of the batch being handled (the processor's unit of work): sent to the database together, in one
     * round trip, just before the batch commits with the processor's token.
     */
    private List<Object[]> rows() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(AuditProjection.class.getName() + ".rows", key -> {
            List<Object[]> rows = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> write(rows));
            return rows;
        });
    }

    private void write(List<Object[]> rows) {
        int[] written = jdbc.batchUpdate(INSERT, rows);
        for (int i = 0; i < written.length; i++) {
            String eventId = (String) rows.get(i)[rows.get(i).length - 1];
            if (written[i] == 0 && !recorded(eventId)) {
                throw new IllegalStateException("Event " + eventId + " is not in the event store");
            }
        }
    }

    private boolean recorded(String eventId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM audit_event WHERE event_id = ?)", Boolean.class, eventId));
    }

    /** Before a rebuild, in the transaction that resets the processor's token: the log starts empty. */
    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE audit_event");
    }
}
