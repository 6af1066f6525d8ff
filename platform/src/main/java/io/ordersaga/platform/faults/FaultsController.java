package io.ordersaga.platform.faults;

import io.ordersaga.platform.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code POST /admin/faults} plans outcomes for a target's next attempts, {@code DELETE /admin/faults} clears every
 * plan, {@code GET /admin/faults} shows them. Only served where fault injection is enabled.
 */
@RestController
@RequestMapping("/admin/faults")
public class FaultsController {

    private final FaultInjector faults;

    public FaultsController(FaultInjector faults) {
        this.faults = faults;
    }

    public record PlanRequest(@NotBlank String target, @NotEmpty @Size(max = 1000) List<@NotNull Fault> outcomes,
                              Boolean repeat) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public FaultInjector.Plan plan(@Valid @RequestBody PlanRequest request) {
        try {
            return faults.plan(request.target(), request.outcomes(), Boolean.TRUE.equals(request.repeat()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @DeleteMapping
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "Every plan is cleared")
    public ResponseEntity<Void> clear() {
        faults.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public List<FaultInjector.Plan> plans() {
        return faults.plans();
    }
}
