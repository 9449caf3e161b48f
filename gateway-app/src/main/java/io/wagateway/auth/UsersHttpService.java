package io.wagateway.auth;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.http.ApiException;
import io.wagateway.http.Json;
import io.wagateway.http.JsonBody;
import java.util.Locale;

/** {@code /api/users}: administrators create and list users. */
public final class UsersHttpService implements HttpService {

    private final UserService users;
    private final long maxBodyBytes;

    public UsersHttpService(UserService users, long maxBodyBytes) {
        this.users = users;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        String username = body.requiredString("username", 64);
        String password = body.requiredString("password", UserService.MAX_PASSWORD);
        String roleText = body.optionalString("role", 16);
        Role role;
        try {
            role = roleText == null ? Role.USER : Role.valueOf(roleText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("'role' must be ADMIN or USER");
        }
        User user = users.create(username, password, role);
        Json.send(res, Status.CREATED_201, AuthHttpService.view(user));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        Json.send(res, Status.OK_200, users.list().stream().map(AuthHttpService::view).toList());
    }
}
