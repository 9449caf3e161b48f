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

/** {@code /api/auth}: login, the caller's identity, their own password, and logout. */
public final class AuthHttpService implements HttpService {

    private final Identity identity;
    private final long maxBodyBytes;

    public AuthHttpService(Identity identity, long maxBodyBytes) {
        this.identity = identity;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/login", this::login)
                .get("/me", this::me)
                .post("/password", this::changePassword)
                .post("/logout", this::logout);
    }

    private void login(ServerRequest req, ServerResponse res) {
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        String username = body.requiredString("username", 64);
        String password = body.requiredString("password", UserService.MAX_PASSWORD);
        sendLogin(res, identity.logins().login(username, password, identity.addresses().of(req)));
    }

    private void me(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        User user = identity.users().find(caller.userId())
                .orElseThrow(() -> ApiException.unauthorized("User no longer exists"));
        Json.send(res, Status.OK_200, view(user));
    }

    private void changePassword(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        String current = body.requiredString("currentPassword", UserService.MAX_PASSWORD);
        String next = body.requiredString("newPassword", UserService.MAX_PASSWORD);
        sendLogin(res, identity.logins().changePassword(caller, current, next, identity.addresses().of(req)));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        identity.logins().logout(Caller.of(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static void sendLogin(ServerResponse res, LoginService.Login login) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("token", login.token().token());
        result.put("tokenType", "Bearer");
        result.put("expiresAt", login.token().expiresAt());
        result.put("user", view(login.user()));
        Json.send(res, Status.OK_200, result);
    }

    static Map<String, Object> view(User user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.id());
        view.put("username", user.username());
        view.put("role", user.role().name());
        view.put("enabled", user.enabled());
        return view;
    }
}
