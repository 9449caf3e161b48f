package io.wagateway.web;

import io.wagateway.auth.Principal;
import java.util.Optional;

/**
 * What {@link WebGuard} learned about a web request before its handler runs: the signed-in admin
 * (if any), the CSRF token its pages put in their forms, and the posted form (CSRF already checked).
 *
 * @param admin the signed-in administrator, if any
 * @param csrf  the token for this browser's forms
 * @param form  the posted form; empty for GET
 */
record Browser(Optional<Principal> admin, String csrf, Form form) {

    /** @return the admin; handlers behind the guard are only reached signed in */
    Principal principal() {
        return admin.orElseThrow(() -> new IllegalStateException("not signed in: the guard lets no such request through"));
    }
}
