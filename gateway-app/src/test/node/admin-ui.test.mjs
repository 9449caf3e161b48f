// The admin web UI in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core).
// Run by io.wagateway.web.AdminUiBrowserTest (through `./gateway test` / `mvn install`), which starts
// the gateway and passes its URL, the users and a plugin jar in GATEWAY_ADMIN_UI_TEST. The cases
// run in order and share one browser: each builds on the state the one before left.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { chromium } from "playwright-core";

const cfg = JSON.parse(process.env.GATEWAY_ADMIN_UI_TEST ?? "null");
if (!cfg) throw new Error("GATEWAY_ADMIN_UI_TEST is not set: run through AdminUiBrowserTest (./gateway test)");

const BASE = cfg.baseUrl;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);
const WAIT = 15_000;

let browser;
/** Every URL any page asked for, and the ones that would have left the machine. */
const requested = [];
const external = [];
const contexts = [];
const state = {};

async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  context.setDefaultTimeout(WAIT);
  // Nothing may leave the machine: every request is recorded, and anything not local is refused.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requested.push(url);
    const { protocol, hostname } = new URL(url);
    if ((protocol === "http:" || protocol === "https:") && !LOCAL_HOSTS.has(hostname)) {
      external.push(url);
      return route.abort();
    }
    return route.continue();
  });
  return context;
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(cfg.screenshots, name + ".png"), fullPage: true });
}

/** Marks the page; the mark survives only as long as no navigation or reload happens. */
async function markNoReload(page) {
  await page.evaluate(() => { window.__noReload = true; });
}

async function assertNoReload(page) {
  assert.equal(await page.evaluate(() => window.__noReload === true), true, "the page was reloaded");
}

async function signIn(page, username, password) {
  await page.goto(BASE + "/login");
  await page.fill("#username", username);
  await page.fill("#password", password);
  return Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
}

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  state.admin = await newContext();
  state.page = await state.admin.newPage();
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
});

test("a signed-out browser is sent to /login; an admin signs in with the keyboard alone", async () => {
  const page = state.page;
  const first = await page.goto(BASE + "/");
  assert.equal(new URL(page.url()).pathname, "/login");
  assert.equal(first.status(), 200);
  const headers = first.headers();
  assert.match(headers["content-security-policy"], /script-src 'self'/);
  assert.doesNotMatch(headers["content-security-policy"], /unsafe-inline/);
  assert.equal(headers["x-frame-options"], "DENY");
  assert.equal(headers["x-content-type-options"], "nosniff");
  assert.ok(headers["referrer-policy"]);
  // Every control has a label.
  assert.equal(await page.locator("label[for=username]").count(), 1);
  assert.equal(await page.locator("label[for=password]").count(), 1);
  await shot(page, "login");
  // Keyboard only: the username field has focus, Tab moves to the password, Enter submits.
  assert.equal(await page.evaluate(() => document.activeElement.id), "username");
  await page.keyboard.type(cfg.admin.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(cfg.admin.password);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  assert.equal(new URL(page.url()).pathname, "/");
  assert.equal(await page.textContent("h1"), "Sessions");
  const cookies = await state.admin.cookies();
  const session = cookies.find((c) => c.name === "gw_session");
  assert.ok(session, "the session cookie is set");
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, "Strict");
  assert.equal(await page.evaluate(() => document.cookie.includes("gw_session")), false, "scripts cannot read it");
  await page.waitForSelector('#live[data-state="live"]');
});

test("a wrong password shows the error on the login page and keeps the username", async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, cfg.admin.username, "not-the-password");
  assert.equal(new URL(page.url()).pathname, "/login");
  assert.match(await page.textContent(".form-error"), /Invalid username or password/);
  assert.equal(await page.inputValue("#username"), cfg.admin.username);
  await context.close();
});

test("creating a session with bad input shows the error next to the field and keeps what was typed", async () => {
  const page = state.page;
  await page.goto(BASE + "/");
  await page.fill("#create-name", "");
  await page.selectOption("#create-engine", "simulator");
  const [response] = await Promise.all([page.waitForNavigation(), page.click("#create-form button[type=submit]")]);
  assert.equal(response.status(), 400);
  assert.match(await page.textContent('[id="err-create.name"]'), /name/i);
  assert.equal(await page.getAttribute("#create-name", "aria-invalid"), "true");
  assert.equal(await page.inputValue("#create-engine"), "simulator");
});

test("creates a simulator session", async () => {
  const page = state.page;
  await page.goto(BASE + "/");
  const engines = await page.$$eval("#create-engine option", (options) => options.map((o) => o.value));
  assert.ok(engines.includes("simulator"), "engines come from the loaded plugins: " + engines);
  await page.fill("#create-name", "Demo phone");
  await page.selectOption("#create-engine", "simulator");
  await Promise.all([page.waitForNavigation(), page.click("#create-form button[type=submit]")]);
  assert.match(new URL(page.url()).pathname, /^\/sessions\//);
  assert.equal(await page.textContent("h1"), "Demo phone");
  assert.equal(await page.textContent("#session-status"), "DISCONNECTED");
  state.sessionUrl = page.url().split("?")[0];
  state.sessionId = await page.getAttribute("body", "data-session");
});

test("start: the QR code appears as SVG and is replaced on rotation without a reload", async () => {
  const page = state.page;
  await page.goto(state.sessionUrl);
  await page.waitForSelector('#live[data-state="live"]');
  assert.equal(await page.isVisible("#qr-section"), false);
  await markNoReload(page);
  await page.click("form[action$='/start'] button");
  await page.waitForSelector("#qr svg path", { state: "attached" });
  await page.waitForSelector("#qr-section", { state: "visible" });
  assert.match(await page.textContent(".hint"), /Open WhatsApp → Settings → Linked Devices → Link a Device/);
  const first = await page.getAttribute("#qr", "data-attempt");
  const firstPath = await page.getAttribute("#qr svg path", "d");
  const box = await page.locator("#qr svg").boundingBox();
  assert.ok(box.width >= 250, "large enough to scan: " + box.width + " px");
  assert.match(await page.textContent("#qr-countdown"), /^\d+ s$/);
  await page.waitForSelector('#session-status:text("QR_REQUIRED")');
  await page.waitForFunction((attempt) => document.querySelector("#qr").getAttribute("data-attempt") !== attempt, first);
  const second = await page.getAttribute("#qr", "data-attempt");
  assert.equal(Number(second), Number(first) + 1);
  assert.notEqual(await page.getAttribute("#qr svg path", "d"), firstPath, "a new code is drawn");
  assert.equal(await page.textContent("#qr-attempt"), second);
  await assertNoReload(page);
  await shot(page, "session-qr");
});

test("Simulate scan makes the session CONNECTED with phone and name, without a reload", async () => {
  const page = state.page;
  await markNoReload(page);
  await page.fill('[id="action-scan.p.phoneNumber"]', "+6281234567890");
  await page.fill('[id="action-scan.p.displayName"]', "John Doe");
  await page.click("#action-scan button[type=submit]");
  await page.waitForSelector('#session-status:text("CONNECTED")');
  await page.waitForSelector('#session-phone:text("+6281234567890")');
  assert.equal(await page.textContent("#session-display-name"), "John Doe");
  assert.equal(await page.isVisible("#qr-section"), false, "the QR goes once linked");
  await assertNoReload(page);
  // The event monitor shows the events as they came, with their payloads.
  const types = await page.$$eval("#monitor li", (items) => items.map((li) => li.getAttribute("data-type")));
  assert.ok(types.includes("qr_code_updated"), "monitor: " + types);
  assert.ok(types.includes("session_status_changed"), "monitor: " + types);
  assert.match(await page.textContent("#monitor li pre"), /"status": "CONNECTED"/);
});

test("a test message shows SENT → DELIVERED → READ live", async () => {
  const page = state.page;
  await page.fill("#send-to", "+6289876543210");
  await page.fill("#send-text", "Hello from the admin UI");
  await Promise.all([page.waitForNavigation(), page.click("#send-form button[type=submit]")]);
  // From here on no reload: record every status the message shows.
  await page.evaluate(() => {
    window.__noReload = true;
    window.__seen = [];
    const status = document.querySelector("#message-list [data-field=status]");
    window.__seen.push(status.textContent);
    new MutationObserver(() => window.__seen.push(status.textContent))
      .observe(status, { childList: true, characterData: true, subtree: true });
  });
  await page.waitForSelector('#message-list [data-field=status]:text("READ")', { timeout: 10_000 });
  const seen = (await page.evaluate(() => window.__seen)).filter((s, i, all) => s !== all[i - 1]);
  const order = ["PENDING", "SENT", "DELIVERED", "READ"];
  assert.deepEqual(seen, order.slice(order.indexOf(seen[0])), "statuses seen: " + seen);
  assert.ok(seen.includes("DELIVERED") && seen.indexOf("DELIVERED") > 0, "watched DELIVERED and READ arrive live: " + seen);
  const history = await page.$$eval("#message-list ol.history li", (items) => items.map((li) => li.getAttribute("data-status")));
  assert.deepEqual(history.filter((s) => s !== "PENDING"), ["SENT", "DELIVERED", "READ"]);
  assert.equal(await page.getAttribute("#message-list [data-field=ticks]", "data-status"), "READ");
  await assertNoReload(page);
  await shot(page, "session-connected");
});

test("the dashboard lists the session and follows its status live", async () => {
  const page = state.page;
  await page.goto(BASE + "/");
  await page.waitForSelector('#live[data-state="live"]');
  const row = page.locator(`tr[data-session-id="${state.sessionId}"]`);
  assert.equal(await row.locator("[data-field=status]").textContent(), "CONNECTED");
  assert.equal(await row.locator("[data-field=phone]").textContent(), "+6281234567890");
  assert.equal(await row.locator("[data-field=displayName]").textContent(), "John Doe");
  await shot(page, "dashboard");
  await markNoReload(page);
  await row.locator("form[action$='/stop'] button").click();
  await page.waitForSelector(`tr[data-session-id="${state.sessionId}"] [data-field=status]:text("DISCONNECTED")`);
  assert.equal(await row.locator("[data-field=reason]").textContent(), "STOPPED");
  await assertNoReload(page);
  // The filter: by status, then by owner.
  await page.selectOption("#filter-status", "CONNECTED");
  await Promise.all([page.waitForNavigation(), page.click(".filters button")]);
  assert.equal(await page.locator(`tr[data-session-id="${state.sessionId}"]`).count(), 0);
  await page.selectOption("#filter-status", "DISCONNECTED");
  await Promise.all([page.waitForNavigation(), page.click(".filters button")]);
  assert.equal(await page.locator(`tr[data-session-id="${state.sessionId}"]`).count(), 1);
});

test("a session created or deleted over REST appears on and leaves the dashboard without a reload", async () => {
  const page = state.page;
  await page.goto(BASE + "/");
  await page.waitForSelector('#live[data-state="live"]');
  await markNoReload(page);
  const login = await fetch(BASE + "/api/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(cfg.admin) });
  const { token } = await login.json();
  const rest = (method, url, body) => fetch(BASE + url, { method, body: body && JSON.stringify(body),
    headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" } });
  const created = await rest("POST", "/api/sessions", { name: "made over REST", engine: "simulator" });
  assert.equal(created.status, 201);
  const { sessionId } = await created.json();
  const row = `tr[data-session-id="${sessionId}"]`;
  await page.waitForSelector(row);
  assert.equal(await page.locator(row + " td[data-label=Name]").textContent(), "made over REST");
  // The fetched row follows the live events like any other.
  assert.equal((await rest("POST", `/api/sessions/${encodeURIComponent(sessionId)}/start`)).status, 202);
  await page.waitForSelector(row + ' [data-field=status]:text("QR_REQUIRED")');
  assert.equal((await rest("DELETE", `/api/sessions/${encodeURIComponent(sessionId)}`)).status, 204);
  await page.waitForSelector(row, { state: "detached" });
  await assertNoReload(page);
});

test("a USER cannot sign in or open admin pages", async () => {
  const context = await newContext();
  const page = await context.newPage();
  const [response] = await signIn(page, cfg.user.username, cfg.user.password);
  assert.equal(response.status(), 403);
  assert.match(await page.textContent(".form-error"), /Only administrators/);
  assert.equal((await context.cookies()).some((c) => c.name === "gw_session"), false);
  // Even holding a USER's valid token as the cookie, every admin page refuses.
  await context.addCookies([{ name: "gw_session", value: cfg.user.token, url: BASE }]);
  for (const p of ["/", "/users", "/plugins", `/sessions/${encodeURIComponent(state.sessionId)}`]) {
    const res = await page.goto(BASE + p);
    assert.equal(res.status(), 403, p);
    assert.equal(await page.textContent("h1"), "Administrators only");
  }
  const events = await page.request.get(BASE + "/events");
  assert.equal(events.status(), 403);
  await shot(page, "user-refused");
  await context.close();
});

test("a POST without _csrf (or with a wrong one) is refused with 403", async () => {
  const page = state.page;
  const userId = await page.evaluate(() => document.querySelector("#create-owner").value).catch(() => null)
    ?? (await (async () => { await page.goto(BASE + "/"); return page.inputValue("#create-owner"); })());
  const before = await page.request.get(BASE + "/").then((r) => r.text());
  const count = (before.match(/data-session-id=/g) ?? []).length;
  const missing = await page.request.post(BASE + "/sessions", { form: { name: "Forged", engine: "simulator", owner: userId } });
  assert.equal(missing.status(), 403);
  const wrong = await page.request.post(BASE + "/sessions", { form: { _csrf: "wrong", name: "Forged", engine: "simulator", owner: userId } });
  assert.equal(wrong.status(), 403);
  // A real form with its hidden field removed.
  await page.goto(BASE + "/");
  await page.evaluate(() => document.querySelector("#create-form input[name=_csrf]").remove());
  await page.fill("#create-name", "Forged too");
  const [response] = await Promise.all([page.waitForNavigation(), page.click("#create-form button[type=submit]")]);
  assert.equal(response.status(), 403);
  const after = await page.request.get(BASE + "/").then((r) => r.text());
  assert.equal((after.match(/data-session-id=/g) ?? []).length, count, "nothing was created");
  assert.doesNotMatch(after, /Forged/);
});

test("users: bad input shows the error next to the field; create and disable a user", async () => {
  const page = state.page;
  await page.goto(BASE + "/users");
  await page.fill("#new-username", "walter");
  await page.fill("#new-password", "short");
  const [bad] = await Promise.all([page.waitForNavigation(), page.click("#create-user-form button[type=submit]")]);
  assert.equal(bad.status(), 400);
  assert.match(await page.textContent('[id="err-create.password"]'), /password/);
  assert.equal(await page.inputValue("#new-username"), "walter");
  await page.fill("#new-password", "a-long-enough-password");
  await Promise.all([page.waitForNavigation(), page.click("#create-user-form button[type=submit]")]);
  const card = page.locator('li[data-user="walter"]');
  assert.equal(await card.count(), 1);
  page.once("dialog", (dialog) => dialog.accept());
  await Promise.all([page.waitForNavigation(), card.locator("form[action$='/enabled'] button").click()]);
  assert.equal(await page.locator('li[data-user="walter"] .badge.off').textContent(), "disabled");
  await shot(page, "users");
});

test("a plugin jar uploaded on the Plugins page shows up as loaded, and can be removed", async () => {
  const page = state.page;
  await page.goto(BASE + "/plugins");
  assert.equal(await page.locator('li[data-plugin="simulator"] [data-field=state]').textContent(), "STARTED");
  await page.setInputFiles("#upload-jar", cfg.pluginJar);
  await Promise.all([page.waitForNavigation(), page.click("#upload-form button[type=submit]")]);
  const card = page.locator(`li[data-plugin="${cfg.pluginId}"]`);
  assert.equal(await card.locator("[data-field=state]").textContent(), "STARTED");
  assert.match(await card.textContent(), /sink webui-upload-sink/);
  await shot(page, "plugins");
  page.once("dialog", (dialog) => dialog.accept());
  await Promise.all([page.waitForNavigation(), card.locator("form button").click()]);
  assert.equal(await page.locator(`li[data-plugin="${cfg.pluginId}"]`).count(), 0);
});

test("every page fits a 390-pixel-wide phone screen", async () => {
  const phone = await newContext({ viewport: { width: 390, height: 844 }, storageState: await state.admin.storageState() });
  const page = await phone.newPage();
  for (const [p, name] of [["/", "phone-dashboard"], [state.sessionUrl.replace(BASE, ""), "phone-session"],
    ["/users", "phone-users"], ["/plugins", "phone-plugins"]]) {
    await page.goto(BASE + p);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(widths.page <= widths.viewport, `${p}: ${widths.page} px wide in a ${widths.viewport} px viewport`);
    await shot(page, name);
  }
  await page.goto(BASE + "/login");
  await phone.close();
});

test("the live indicator turns red while the gateway restarts and reconnects by itself", async () => {
  const page = state.page;
  await page.goto(state.sessionUrl);
  await page.waitForSelector('#live[data-state="live"]');
  await markNoReload(page);
  const restart = fetch(cfg.control + "/restart", { method: "POST" });
  await page.waitForSelector('#live[data-state="down"]');
  await shot(page, "reconnecting");
  const answer = await restart;
  assert.equal(answer.status, 200, await answer.text());
  await page.waitForSelector('#live[data-state="live"]', { timeout: 20_000 });
  await assertNoReload(page);
  // Live again, with the same cookie: a start (credentials kept, so no new scan) shows CONNECTED without a reload.
  await page.click("form[action$='/start'] button");
  await page.waitForSelector('#session-status:text("CONNECTED")');
  await assertNoReload(page);
  await page.click("form[action$='/stop'] button");
  await page.waitForSelector('#session-status:text("DISCONNECTED")');
});

test("signing out ends the cookie's token", async () => {
  const page = state.page;
  await page.goto(BASE + "/");
  const token = (await state.admin.cookies()).find((c) => c.name === "gw_session").value;
  await Promise.all([page.waitForNavigation(), page.click("header form[action='/logout'] button")]);
  assert.equal(new URL(page.url()).pathname, "/login");
  // The same token is refused by REST from now on: one revocation for both.
  const me = await page.request.get(BASE + "/api/auth/me", { headers: { Authorization: "Bearer " + token } });
  assert.equal(me.status(), 401);
  await page.goto(BASE + "/");
  assert.equal(new URL(page.url()).pathname, "/login");
});

test("no request left the machine", () => {
  assert.ok(requested.length > 20, "requests were recorded: " + requested.length);
  assert.deepEqual(external, []);
  for (const url of requested) {
    const { hostname } = new URL(url);
    assert.ok(LOCAL_HOSTS.has(hostname), url);
  }
});
