package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionIdsTest {

    @ParameterizedTest(name = "slug(\"{0}\") = \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "Ini WG Baru|ini-wg-baru",
            "  --Hello,   World!!  |hello-world",
            "Café Olé|caf-ol",
            "héllo ☃ 日本|h-llo",
            "UPPER_case_123|upper-case-123",
            "日本語|''",
            "a-very-long-session-name-that-goes-on-and-on-forever|a-very-long-session-name-that-goes-on-an",
            "exactly-forty-characters-long-name-ab  x|exactly-forty-characters-long-name-ab-x",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void slugFollowsTheContract(String name, String slug) {
        assertEquals(slug, SessionIds.slug(name));
        assertTrue(SessionIds.slug(name).length() <= 40);
    }

    @Test
    void idIsUserSlugMillis() {
        assertEquals("da59c719-6c71-439f-b222-ac0366048b0b-ini-wg-baru-1752508259121",
                SessionIds.create("da59c719-6c71-439f-b222-ac0366048b0b", "Ini WG Baru", 1752508259121L));
        assertEquals("u--5", SessionIds.create("u", "!!!", 5), "the contract's form, an empty slug too");
    }
}
