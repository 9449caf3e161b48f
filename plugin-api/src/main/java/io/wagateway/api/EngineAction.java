package io.wagateway.api;

import java.util.List;
import java.util.Objects;

/**
 * An engine-specific control that an engine offers through {@link EngineSession#action}, described
 * so that the admin web UI can show it as a form (a button when it takes no parameters). Purely
 * descriptive: the engine still checks every call itself and answers wrong input with
 * {@link ActionException}.
 *
 * @param name        the action's name, as in {@code POST /api/sessions/{id}/actions/{name}}
 * @param label       a short label for a button, e.g. "Simulate scan"
 * @param description one sentence on what it does and when it is allowed; may be empty
 * @param params      the parameters it takes, in the order a form shows them; all strings
 * @since 1.2.0
 */
public record EngineAction(String name, String label, String description, List<Param> params) {

    /** Validates the fields and copies the list. */
    public EngineAction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        params = List.copyOf(params);
    }

    /**
     * One parameter of an action: a string value in the action's JSON body.
     *
     * @param name     the key in the JSON body, e.g. {@code phoneNumber}
     * @param label    a label for its form field, e.g. "Phone number"
     * @param example  an example value shown as a placeholder; may be empty
     * @param required whether the action needs it
     */
    public record Param(String name, String label, String example, boolean required) {

        /** Validates the fields. */
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(example, "example");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
        }
    }
}
