package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A round's lanes go out one target at a time in turn, so no target can fill every slot of a round. */
class LaneOrderTest {

    @Test
    void lanesTakeTurnsByTargetKeepingEachTargetsOrder() {
        List<List<Claimed>> lanes = List.of(lane(1, "slow", "s1"), lane(2, "slow", "s2"), lane(3, "slow", "s3"),
                lane(4, "fast", "s3"), lane(5, "slow", "s4"), lane(6, "other", "s1"));
        List<Long> order = LaneOrder.byTargetInTurn(lanes).stream().map(l -> l.getFirst().id()).toList();
        assertEquals(List.of(1L, 4L, 6L, 2L, 3L, 5L), order);
    }

    private static List<Claimed> lane(long id, String target, String session) {
        return List.of(new Claimed(id, "e" + id, target, session, "u", "t", id, 0, 0, "{}"));
    }
}
