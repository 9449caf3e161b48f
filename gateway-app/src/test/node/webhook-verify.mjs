// Verifies webhook requests the gateway sent with the reference Standard Webhooks implementation
// (npm standardwebhooks), independent of the gateway's own signing code.
// Usage: node webhook-verify.mjs <file.json>  where the file is
//   {"secret": "whsec_...", "requests": [{"headers": {"webhook-id": ..., ...}, "body": "..."}]}
// Prints "verified <n>" and exits 0 when every request verifies and a tampered copy of each fails.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const { secret, requests } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const wh = new Webhook(secret);
let verified = 0;
for (const [i, r] of requests.entries()) {
  try {
    const payload = wh.verify(r.body, r.headers);
    if (payload.id !== r.headers["webhook-id"]) {
      throw new Error(`body id ${payload.id} is not the webhook-id ${r.headers["webhook-id"]}`);
    }
    verified++;
  } catch (e) {
    console.log(`FAILED request ${i}: ${e.message}`);
    process.exit(1);
  }
  try {
    wh.verify(r.body.replace("}", ' }'), r.headers);
    console.log(`FAILED request ${i}: a tampered body verified`);
    process.exit(1);
  } catch (e) {
    // expected: the signature does not match a changed body
  }
}
console.log(`verified ${verified}`);
