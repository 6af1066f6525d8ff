package io.ordersaga.order.web;

import io.ordersaga.order.audit.AuditExport;
import io.ordersaga.order.audit.AuditLog;
import io.ordersaga.platform.web.ApiException;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * The audit log for operators: its state ({@code GET /admin/audit}), a digest of its content
 * ({@code GET /admin/audit/digest}), a rebuild from the first event ({@code POST /admin/audit/rebuild}) and an export
 * as JSON lines ({@code GET /admin/audit/events?orderId=…} or {@code ?from=…&to=…}). {@code bin/audit} calls these.
 */
@RestController
@RequestMapping("/admin/audit")
public class AuditController {

    /** JSON lines: one JSON object per line. */
    public static final String JSON_LINES = "application/x-ndjson";

    private final AuditLog auditLog;
    private final AuditExport export;

    public AuditController(AuditLog auditLog, AuditExport export) {
        this.auditLog = auditLog;
        this.export = export;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public AuditLog.Status status() {
        return auditLog.status();
    }

    /** SHA-256 over the log's rows up to {@code upTo} (a position in the event store), or over all of them. */
    @GetMapping(path = "/digest", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "The digest of the log up to the position")
    @ApiResponse(responseCode = "409", description = "The log is being rebuilt")
    public AuditLog.Digest digest(@RequestParam(name = "upTo", required = false) String upTo) {
        refuseWhileRebuilding();
        return auditLog.digest(upTo == null ? OptionalLong.empty() : OptionalLong.of(position(upTo)));
    }

    /** Empties the log and replays the whole event store into it; follow it at {@code GET /admin/audit}. */
    @PostMapping(path = "/rebuild", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "202", description = "The rebuild has started; follow it at GET /admin/audit")
    @ApiResponse(responseCode = "409", description = "A rebuild runs already, or another instance has the log")
    public ResponseEntity<AuditLog.Status> rebuild() {
        try {
            auditLog.rebuild();
        } catch (AuditLog.RebuildRefused refused) {
            throw ApiException.conflict(refused.getMessage());
        }
        return ResponseEntity.accepted().location(URI.create("/admin/audit")).body(auditLog.status());
    }

    @GetMapping(path = "/events", produces = JSON_LINES)
    @ApiResponse(responseCode = "200", description = "The events, one JSON object a line, streamed",
            content = @Content(mediaType = JSON_LINES, schema = @Schema(type = "string")))
    public ResponseEntity<StreamingResponseBody> events(@RequestParam(name = "orderId", required = false) String orderId,
                                                       @RequestParam(name = "from", required = false) String from,
                                                       @RequestParam(name = "to", required = false) String to) {
        AuditExport.Selection selection = selection(orderId, from, to);
        refuseWhileRebuilding();
        if (selection instanceof AuditExport.OfOrder order && !export.hasOrder(order.orderId())) {
            throw ApiException.notFound("order", orderId);
        }
        StreamingResponseBody body = out -> export.write(selection, out);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(JSON_LINES))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(body);
    }

    private static AuditExport.Selection selection(String orderId, String from, String to) {
        if (orderId != null && (from != null || to != null)) {
            throw ApiException.badRequest("orderId: give either an order or a time range (from, to), not both");
        }
        if (orderId != null) {
            if (!OrderIds.isOrderId(orderId)) {
                throw ApiException.badRequest("orderId: must be an order id (a UUID)");
            }
            return new AuditExport.OfOrder(orderId);
        }
        if (from == null || to == null) {
            throw ApiException.badRequest((from == null ? "from" : "to")
                    + ": give an order (orderId) or a time range (from and to, ISO-8601 instants)");
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("to: must be after from");
        }
        return new AuditExport.Between(start, end);
    }

    private void refuseWhileRebuilding() {
        if (auditLog.isRebuilding()) {
            throw ApiException.conflict("The audit log is being rebuilt; try again when GET /admin/audit says LIVE");
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static long position(String value) {
        try {
            long position = Long.parseLong(value);
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("upTo: must be a position in the event store (a whole number from 0)");
    }
}
