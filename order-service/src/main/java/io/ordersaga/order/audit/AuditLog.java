package io.ordersaga.order.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The audit log as an operator handles it: where its processor is, a digest of its content, and a rebuild from the
 * first event of the event store.
 *
 * <p>A rebuild stops the {@value AuditProjection#PROCESSING_GROUP} processor, resets its token to the start of the
 * event store — which empties the table in the same transaction ({@link AuditProjection#reset()}) — and starts it
 * again; it then replays every event into the table and goes on with new ones. Only this processor is touched: the
 * saga, the projections and the deadlines go on as before. With several instances of the order service, the instance
 * that holds the processor's segment must run the rebuild (another one is refused, with a conflict).
 */
@Component
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private static final int FETCH_SIZE = 1_000;
    private static final String DIGEST_QUERY = """
            SELECT global_index, event_id, occurred_at, order_id, service, aggregate_type, aggregate_id,
                   sequence_number, event_type, step, target, attempt, outcome, detail
              FROM audit_event
             WHERE global_index <= ?
             ORDER BY global_index""";

    /** Where the audit log is. */
    public enum State {
        /** replaying the event store after a reset */
        REBUILDING,
        /** following the event store; a few events behind at most */
        LIVE,
        /** the processor is stopped or failing on an event (the error says which) */
        STOPPED,
        /** this instance holds no segment of the processor: another instance of the service writes the log */
        ELSEWHERE
    }

    /**
     * @param position   the event store position the log has taken in
     * @param head       the event store's head when asked
     * @param progress   during a rebuild: the share of the events up to the head at its start already replayed, in %
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String processor, State state, Long position, Long head, Double progress, String error,
                         Rebuild rebuild) {
    }

    /** The latest rebuild: from when, up to which position of the event store, and when it caught up. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rebuild(Instant startedAt, long target, Instant finishedAt, Double seconds) {

        boolean finished() {
            return finishedAt != null;
        }
    }

    /** A digest of the log's rows up to a position: SHA-256 over each row's fields, in the order of the store. */
    public record Digest(long upTo, long events, long orders, String sha256) {
    }

    /** The log cannot be rebuilt now: another rebuild runs, or another instance holds the processor. */
    public static class RebuildRefused extends RuntimeException {
        RebuildRefused(String message) {
            super(message);
        }
    }

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private volatile Rebuild rebuild;

    public AuditLog(EventProcessingConfiguration processing, EventStore eventStore, JdbcTemplate jdbc,
                    PlatformTransactionManager transactions, Clock clock) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.clock = clock;
    }

    public Status status() {
        StreamingEventProcessor processor = processor();
        long head = head();
        Rebuild current = rebuild;
        if (!processor.isRunning() || processor.isError()) {
            return new Status(processor.getName(), State.STOPPED, null, head, null, errorOf(processor), current);
        }
        Optional<EventTrackerStatus> segment = processor.processingStatus().values().stream().findFirst();
        if (segment.isEmpty()) {
            boolean starting = current != null && !current.finished(); // the segment is being claimed again
            return new Status(processor.getName(), starting ? State.REBUILDING : State.ELSEWHERE, null, head,
                    starting ? 0.0 : null, null, current);
        }
        EventTrackerStatus status = segment.get();
        Long position = position(status.getTrackingToken()).stream().boxed().findFirst().orElse(null);
        if (status.isErrorState()) {
            return new Status(processor.getName(), State.STOPPED, position, head, null,
                    String.valueOf(status.getError()), current);
        }
        if (current != null && !current.finished()) {
            double done = current.target() <= 0 || position == null ? 0
                    : Math.min(100.0, Math.floor(1000.0 * position / current.target()) / 10);
            return new Status(processor.getName(), State.REBUILDING, position, head, done, null, current);
        }
        return new Status(processor.getName(), State.LIVE, position, head, null, null, current);
    }

    public boolean isRebuilding() {
        Rebuild current = rebuild;
        return current != null && !current.finished();
    }

    /**
     * Empties the audit log and replays the whole event store into it; returns at once, the replay goes on in the
     * processor's thread. Progress: {@link #status()}.
     */
    public synchronized Rebuild rebuild() {
        if (isRebuilding()) {
            throw new RebuildRefused("The audit log is being rebuilt already (since " + rebuild.startedAt() + ")");
        }
        StreamingEventProcessor processor = processor();
        long target = head();
        stop(processor);
        try {
            // from the tail explicitly: the processor's initial token is itself a replay token, and a replay token
            // starting from a replay token never ends replaying
            processor.resetTokens(StreamableMessageSource::createTailToken);
        } catch (UnableToClaimTokenException elsewhere) {
            processor.start();
            throw new RebuildRefused("Another instance of the order service holds the audit processor; run the"
                    + " rebuild there, or stop the other instances first");
        }
        Rebuild started = new Rebuild(clock.instant(), target, null, null);
        rebuild = started;
        processor.start();
        log.info("Rebuilding the audit log from the first event of the event store, up to position {} and on",
                target);
        Thread watcher = new Thread(() -> watch(started), "audit-rebuild");
        watcher.setDaemon(true);
        watcher.start();
        return started;
    }

    /** The digest of the rows up to {@code upTo} (the whole log without). Reads the table as a stream. */
    public Digest digest(OptionalLong upTo) {
        return readOnly.execute(tx -> {
            MessageDigest sha256 = sha256();
            long[] counts = new long[2];
            jdbc.query(DIGEST_QUERY, (ResultSet row) -> {
                sha256.update(line(row).getBytes(StandardCharsets.UTF_8));
                counts[0]++;
                counts[1] = row.getLong("global_index");
            }, upTo.orElse(Long.MAX_VALUE));
            Long orders = jdbc.queryForObject(
                    "SELECT count(DISTINCT order_id) FROM audit_event WHERE global_index <= ?", Long.class,
                    upTo.orElse(Long.MAX_VALUE));
            return new Digest(upTo.orElse(counts[1]), counts[0], orders == null ? 0 : orders,
                    HexFormat.of().formatHex(sha256.digest()));
        });
    }

    private static String line(ResultSet row) throws SQLException {
        StringBuilder line = new StringBuilder();
        for (String column : new String[]{"global_index", "event_id", "order_id", "service", "aggregate_type",
                "aggregate_id", "sequence_number", "event_type", "step", "target", "attempt", "outcome", "detail"}) {
            line.append(row.getString(column)).append('\u001f');
        }
        line.append(row.getTimestamp("occurred_at").toInstant()).append('\n');
        return line.toString();
    }

    /** Follows a rebuild until the processor has replayed up to where the store was when it started. */
    private void watch(Rebuild started) {
        Instant lastLog = clock.instant();
        try {
            while (rebuild == started) {
                Status status = status();
                Instant now = clock.instant();
                // Axon calls the segment "replaying" until it meets an event stored after the reset; the log is
                // rebuilt as soon as it has taken in every event up to the head at the start of the rebuild
                if (status.state() == State.REBUILDING && status.position() != null
                        && status.position() >= started.target()) {
                    double seconds = Duration.between(started.startedAt(), now).toMillis() / 1000.0;
                    rebuild = new Rebuild(started.startedAt(), started.target(), now, seconds);
                    log.info("Audit log rebuilt up to position {} in {} s", started.target(), seconds);
                    return;
                }
                if (Duration.between(lastLog, now).compareTo(LOG_INTERVAL) >= 0) {
                    log.info("Rebuilding the audit log: {} ({} of {})", status.progress() + " %", status.position(),
                            started.target());
                    lastLog = now;
                }
                TimeUnit.MILLISECONDS.sleep(WATCH_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(StreamingEventProcessor processor) {
        try {
            processor.shutdownAsync().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the audit processor", e);
        } catch (ExecutionException | TimeoutException e) {
            processor.start();
            throw new IllegalStateException("The audit processor did not stop within " + STOP_TIMEOUT.toSeconds()
                    + " s", e);
        }
    }

    private long head() {
        return position(eventStore.createHeadToken()).orElse(-1);
    }

    private StreamingEventProcessor processor() {
        return processing.eventProcessor(AuditProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("No " + AuditProjection.PROCESSING_GROUP + " processor"));
    }

    private static String errorOf(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream().filter(EventTrackerStatus::isErrorState)
                .map(status -> String.valueOf(status.getError())).findFirst().orElse(null);
    }

    private static OptionalLong position(TrackingToken token) {
        return token == null ? OptionalLong.empty() : token.position();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256", e);
        }
    }
}
