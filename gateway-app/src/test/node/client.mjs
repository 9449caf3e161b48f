// A socket.io-client socket that records everything it receives, with promise-based waits.
import { io } from "socket.io-client";

export const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export class Client {
  /**
   * @param url   the gateway's Socket.IO URL
   * @param opts  socket.io-client options; every client gets its own connection and never reconnects
   */
  constructor(url, opts = {}) {
    this.events = []; // {name, payload}; reserved events are recorded as "#connect", "#disconnect", ...
    this.waiters = new Set();
    this.socket = io(url, { forceNew: true, reconnection: false, timeout: 5000, ...opts });
    this.socket.onAny((name, payload) => this.#record(name, payload));
    this.socket.on("connect", () => this.#record("#connect"));
    this.socket.on("connect_error", (err) => this.#record("#connect_error", err));
    this.socket.on("disconnect", (reason) => this.#record("#disconnect", reason));
  }

  #record(name, payload) {
    const event = { name, payload, index: this.events.length };
    this.events.push(event);
    for (const waiter of this.waiters) waiter(event);
  }

  /** Index to pass as `from` to wait only for what arrives later. */
  mark() {
    return this.events.length;
  }

  /** The first event named `name` (at or after `from`) that satisfies `where`; rejects after `ms`. */
  wait(name, { where = () => true, from = 0, ms = 5000 } = {}) {
    const found = this.events.find((e) => e.index >= from && e.name === name && where(e.payload));
    if (found) return Promise.resolve(found.payload);
    return new Promise((resolve, reject) => {
      const waiter = (e) => {
        if (e.index >= from && e.name === name && where(e.payload)) {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(e.payload);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no '${name}' within ${ms} ms; got: ${this.describe()}`));
      }, ms);
      this.waiters.add(waiter);
    });
  }

  /** Waits for `count` events named `name` from `from` on; resolves with their payloads in arrival order. */
  async waitCount(name, count, { from = 0, ms = 10000 } = {}) {
    await this.wait(name, { from, ms, where: () => this.named(name, from).length >= count });
    return this.named(name, from);
  }

  /** Resolves once connected and the gateway's `connected` arrived; returns its payload. */
  async connected() {
    return this.wait("connected");
  }

  /** Payloads of events named `name` from index `from` on. */
  named(name, from = 0) {
    return this.events.filter((e) => e.index >= from && e.name === name).map((e) => e.payload);
  }

  /** Names of the gateway's events (not socket.io-client's own) from index `from` on. */
  appEvents(from = 0) {
    return this.events.filter((e) => e.index >= from && !e.name.startsWith("#")).map((e) => e.name);
  }

  emit(...args) {
    this.socket.emit(...args);
  }

  /** Joins and waits for the session's `session_joined` and the status that follows it. */
  async join(sessionId) {
    const from = this.mark();
    this.emit("join_session", sessionId);
    await this.wait("session_joined", { from, where: (p) => p.sessionId === sessionId });
    await this.wait("session_status_changed", { from, where: (p) => p.sessionId === sessionId });
    return from;
  }

  describe() {
    return JSON.stringify(this.events.map((e) => [e.name, e.payload instanceof Error ? e.payload.message : e.payload]))
      .slice(0, 2000);
  }

  close() {
    this.socket.close();
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
