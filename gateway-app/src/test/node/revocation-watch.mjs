// Opens one real socket.io-client socket per token in TOKENS (comma-separated) against GATEWAY_URL
// and prints every event it gets as one JSON line {socket, event, payload}; exits once all are gone.
import { io } from "socket.io-client";

const tokens = process.env.TOKENS.split(",");
let open = tokens.length;
tokens.forEach((token, socket) => {
  const s = io(process.env.GATEWAY_URL, { forceNew: true, reconnection: false, transports: ["websocket"], auth: { token } });
  const print = (event, payload) => console.log(JSON.stringify({ socket, event, payload: payload ?? null }));
  s.onAny((event, payload) => print(event, payload));
  s.on("connect_error", (err) => print("#connect_error", err.message));
  s.on("disconnect", (reason) => {
    print("#disconnect", reason);
    if (--open === 0) process.exit(0);
  });
});
