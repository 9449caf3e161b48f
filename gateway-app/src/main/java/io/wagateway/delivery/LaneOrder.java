package io.wagateway.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The order in which a delivery round starts its lanes. */
final class LaneOrder {

    private LaneOrder() {
    }

    /**
     * The round's lanes, one of each target in turn (each target's in their claimed order): a
     * target with many lanes, say a slow receiver subscribed to every session, cannot fill every
     * slot of the round, and see the other targets' lanes given back untried at its end.
     */
    static List<List<Claimed>> byTargetInTurn(Collection<List<Claimed>> lanes) {
        Map<String, ArrayDeque<List<Claimed>>> byTarget = new LinkedHashMap<>();
        for (List<Claimed> lane : lanes) {
            byTarget.computeIfAbsent(lane.getFirst().targetId(), k -> new ArrayDeque<>()).add(lane);
        }
        List<List<Claimed>> order = new ArrayList<>(lanes.size());
        while (order.size() < lanes.size()) {
            for (ArrayDeque<List<Claimed>> target : byTarget.values()) {
                if (!target.isEmpty()) {
                    order.add(target.poll());
                }
            }
        }
        return order;
    }
}
