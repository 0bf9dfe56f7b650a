// Makes the iPadOS launch screens listed in app/pwa/splash.ts: the app's background colour with
// its icon in the middle. Run after changing the icon: `npx tsx scripts/make-splash.ts`.
// (sharp comes with the PartyKit/Miniflare toolchain; the output is committed in public/splash.)
import { mkdirSync } from "node:fs";
import sharp from "sharp";
import { SPLASH_SCREENS } from "../app/pwa/splash";

const BACKGROUND = "#fafaf9"; // the manifest's background_color
mkdirSync("public/splash", { recursive: true });
for (const screen of SPLASH_SCREENS) {
  const size = Math.round(Math.min(screen.width, screen.height) * 0.28);
  const icon = await sharp("public/icons/icon-512.png").resize(size, size).png().toBuffer();
  await sharp({ create: { width: screen.width, height: screen.height, channels: 3, background: BACKGROUND } })
    .composite([{ input: icon, gravity: "center" }])
    .png({ compressionLevel: 9, palette: true })
    .toFile(`public${screen.href}`);
}
console.log(`${SPLASH_SCREENS.length} launch screens in public/splash`);
