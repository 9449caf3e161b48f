package io.wagateway.auth;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.http.ApiException;
import io.wagateway.http.Json;
import io.wagateway.http.JsonBody;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/auth}: login and the caller's identity. */
public final class AuthHttpService implements HttpService {

    private final UserService users;
    private final long maxBodyBytes;

    public AuthHttpService(UserService users, long maxBodyBytes) {
        this.users = users;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/login", this::login)
                .get("/me", this::me);
    }

    private void login(ServerRequest req, ServerResponse res) {
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        String username = body.requiredString("username", 64);
        String password = body.requiredString("password", UserService.MAX_PASSWORD);
        UserService.Login login = users.login(username, password);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("token", login.token().token());
        result.put("tokenType", "Bearer");
        result.put("expiresAt", login.token().expiresAt());
        result.put("user", view(login.user()));
        Json.send(res, Status.OK_200, result);
    }

    private void me(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        User user = users.find(caller.userId()).orElseThrow(() -> ApiException.unauthorized("User no longer exists"));
        Json.send(res, Status.OK_200, view(user));
    }

    static Map<String, Object> view(User user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.id());
        view.put("username", user.username());
        view.put("role", user.role().name());
        return view;
    }
}
