// npm run account:link -- someone@example.com — for whoever runs the Atrium server when no email
// provider is configured: prints a one-time link for that address on this terminal (their pending
// invitations, or else a password reset). It never passes through the app, a message or a log.
import { and, eq } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { memberships, messages, organizations, users } from "../db/schema";
import { mintAccountLink } from "../app/auth/account-links.server";
import { parseEnv } from "../app/lib/env.server";
import { systemClock } from "../app/lib/context.server";

const email = (process.argv[2] ?? "").trim().toLowerCase();
if (!email.includes("@")) {
  console.error("Usage: npm run account:link -- someone@example.com");
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
const env = parseEnv({ ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "file:data/atrium.db", SESSION_SECRET: "x".repeat(32), APP_ORIGIN: process.env.APP_ORIGIN ?? `http://localhost:${port}` });
const { client, db } = openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
const ctx = { db, clock: systemClock, env };
const now = new Date();

const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
if (!user) {
  console.error(`No Atrium account uses ${email}.`);
  process.exit(1);
}
const invited = await db
  .select({ organizationId: memberships.organizationId, name: organizations.name })
  .from(memberships)
  .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
  .where(and(eq(memberships.userId, user.id), eq(memberships.status, "invited")));
const wanted = invited.length
  ? invited.map((i) => ({ label: `Invitation to ${i.name}`, message: { linkPurpose: "invite" as const, toAddress: email, linkUserId: user.id, organizationId: i.organizationId, createdAt: now } }))
  : [{ label: "Password reset", message: { linkPurpose: "password_reset" as const, toAddress: email, linkUserId: null, organizationId: null, createdAt: now } }];
let printed = 0;
for (const w of wanted) {
  const link = await mintAccountLink(ctx, w.message);
  if ("skipped" in link) continue;
  console.log(`${w.label} (one use; give it only to ${email}):\n  ${link.url}`);
  printed++;
}
// The held emails for this address have been handed over by hand.
if (printed) await db.update(messages).set({ status: "delivered_local", lastError: "link_made_by_operator", sentAt: now }).where(and(eq(messages.toAddress, email), eq(messages.status, "held")));
else console.error(`${email} has no pending invitation or active membership.`);
client.close();
process.exit(printed ? 0 : 1);
