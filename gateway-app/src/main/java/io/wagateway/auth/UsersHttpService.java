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
import java.util.Map;

/** {@code /api/users}: administrators create, list, change, reset and delete users. */
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
                .get("/", this::list)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/password", this::setPassword);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        String username = body.requiredString("username", 64);
        String password = body.requiredString("password", UserService.MAX_PASSWORD);
        Role role = role(body.optionalString("role", 16));
        User user = users.create(username, password, role == null ? Role.USER : role);
        Json.send(res, Status.CREATED_201, AuthHttpService.view(user));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        Json.send(res, Status.OK_200, users.list().stream().map(AuthHttpService::view).toList());
    }

    private void update(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        Role role = role(body.optionalString("role", 16));
        Map<String, Object> fields = body.asMap();
        Object enabled = fields.get("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) {
            throw ApiException.validation("'enabled' must be true or false");
        }
        if (role == null && enabled == null) {
            throw ApiException.validation("Give 'role' and/or 'enabled'");
        }
        User user = users.update(req.path().pathParameters().get("id"), role, (Boolean) enabled);
        Json.send(res, Status.OK_200, AuthHttpService.view(user));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Principal admin = Caller.admin(req);
        users.delete(admin, req.path().pathParameters().get("id"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void setPassword(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        users.setPassword(req.path().pathParameters().get("id"), body.requiredString("password", UserService.MAX_PASSWORD));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static Role role(String text) {
        try {
            return text == null ? null : Role.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("'role' must be ADMIN or USER");
        }
    }
}
