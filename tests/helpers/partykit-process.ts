// Starts the PartyKit dev server the way `npm start` does and prints "ready <url>"; for the test
// that kills this process with SIGKILL and expects no PartyKit left behind.
import { startPartyKit } from "../../scripts/partykit";

const party = await startPartyKit({ port: Number(process.env.PARTY_PORT), secret: "orphan-test-secret", quiet: true });
console.log(`ready ${party.url}`);
setInterval(() => undefined, 60_000);
