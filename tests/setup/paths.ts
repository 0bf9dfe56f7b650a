import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const TMP = fileURLToPath(new URL("../.tmp", import.meta.url));
export const TEMPLATE_DB = `${TMP}/template.db`;
export const E2E_DB = `${TMP}/e2e.db`;
/** What the e2e server's fake mail server received (JSON), for tests that need an emailed code. */
export const E2E_MAIL = `${TMP}/e2e-mail.json`;
/** Where the e2e server's fake Stripe API listens (a URL), for routing the fake Stripe.js to it. */
export const E2E_STRIPE = `${TMP}/e2e-stripe-url.txt`;
