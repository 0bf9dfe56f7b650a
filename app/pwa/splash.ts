/**
 * Launch screens for the installed app on iPadOS, which shows a blank screen at start unless it
 * has an `apple-touch-startup-image` matching the device's exact size and orientation. One per
 * current iPad screen size (CSS points × 2), portrait and landscape. Made by scripts/make-splash.ts.
 */
const IPAD_SCREENS = [
  [744, 1133], // iPad mini (6th gen and later)
  [810, 1080], // iPad 10.2"
  [820, 1180], // iPad (10th gen), iPad Air 10.9"
  [834, 1112], // iPad Air / Pro 10.5"
  [834, 1194], // iPad Pro 11", iPad Air 11"
  [1024, 1366], // iPad Pro 12.9", iPad Air 13"
  [1032, 1376], // iPad Pro 13" (M4)
] as const;

export interface SplashScreen {
  href: string;
  width: number;
  height: number;
  media: string;
}

export const SPLASH_SCREENS: SplashScreen[] = IPAD_SCREENS.flatMap(([w, h]) =>
  (["portrait", "landscape"] as const).map((orientation) => {
    const [width, height] = orientation === "portrait" ? [w * 2, h * 2] : [h * 2, w * 2];
    return {
      href: `/splash/ipad-${width}x${height}.png`,
      width,
      height,
      media: `screen and (device-width: ${w}px) and (device-height: ${h}px) and (-webkit-device-pixel-ratio: 2) and (orientation: ${orientation})`,
    };
  }),
);
