package io.wagateway.delivery;

/**
 * Where one event goes: a sink, and for a targeted sink one of its targets.
 *
 * @param sink     the sink's name
 * @param targetId the target (webhook subscription) id, or {@code ""} for an untargeted sink
 */
record Destination(String sink, String targetId) {
}
