import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { E2E_STRIPE } from "../setup/paths";

/**
 * A stand-in for Stripe.js (no internet here): the same calls the app makes — Stripe(key),
 * elements({ clientSecret }), create("payment").mount(), on("ready"), confirmPayment — with a
 * plain card number field where Stripe's frame would be. Confirming posts to api.stripe.com as
 * Stripe.js does (publishable key, client secret), which the spec routes to the e2e server's fake
 * Stripe API; on success the browser goes to the return URL as Stripe sends it.
 */
const FAKE_STRIPE_JS = `
window.Stripe = function (publishableKey) {
  var field = null;
  return {
    elements: function (options) {
      return {
        clientSecret: options.clientSecret,
        create: function () {
          var handlers = {};
          return {
            mount: function (target) {
              var el = typeof target === "string" ? document.querySelector(target) : target;
              el.innerHTML = '<label for="fake-stripe-card" style="display:block;font-size:14px;font-weight:500">Card number</label><input id="fake-stripe-card" inputmode="numeric" autocomplete="cc-number" style="width:100%;min-height:44px;border:1px solid #a8a29e;border-radius:8px;padding:0 12px">';
              field = el.querySelector("input");
              setTimeout(function () { if (handlers.ready) handlers.ready(); }, 0);
            },
            on: function (event, handler) { handlers[event] = handler; },
          };
        },
      };
    },
    confirmPayment: async function (args) {
      var secret = args.elements.clientSecret;
      var id = secret.split("_secret_")[0];
      var body = new URLSearchParams({ client_secret: secret, "payment_method_data[type]": "card", "payment_method_data[card][number]": field ? field.value : "" });
      var res = await fetch("https://api.stripe.com/v1/payment_intents/" + id + "/confirm", { method: "POST", headers: { authorization: "Bearer " + publishableKey, "content-type": "application/x-www-form-urlencoded" }, body: body });
      var json = await res.json();
      if (!res.ok) return { error: json.error };
      var back = args.confirmParams.return_url;
      window.location.assign(back + (back.indexOf("?") < 0 ? "?" : "&") + "payment_intent=" + id + "&payment_intent_client_secret=" + encodeURIComponent(secret) + "&redirect_status=succeeded");
      return new Promise(function () {});
    },
    confirmSetup: async function () { return { error: { message: "Saving cards isn't part of this fake." } }; },
  };
};
`;

export async function routeFakeStripe(page: Page) {
  const api = readFileSync(E2E_STRIPE, "utf8").trim();
  await page.route(/^https:\/\/js\.stripe\.com\//, (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: FAKE_STRIPE_JS }));
  await page.route(/^https:\/\/api\.stripe\.com\//, async (route) => {
    const request = route.request();
    if (request.method() === "OPTIONS") return route.fulfill({ status: 204, headers: { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type" } });
    const url = new URL(request.url());
    const answer = await fetch(`${api}${url.pathname}`, { method: request.method(), headers: { authorization: request.headers().authorization ?? "", "content-type": "application/x-www-form-urlencoded" }, body: request.postData() ?? undefined });
    await route.fulfill({ status: answer.status, contentType: "application/json", headers: { "access-control-allow-origin": "*" }, body: await answer.text() });
  });
}
