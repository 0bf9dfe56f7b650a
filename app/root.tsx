import type { LinksFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteLoaderData } from "@remix-run/react";
import type { ComponentType } from "react";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { useNonce } from "./components/nonce";
import { OfflineForms } from "./pwa/offline-forms";
import type { loader as appLoader } from "./routes/_app";
import styles from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  // The staff app (installable, offline) only where staff are signed in. Its head markup comes
  // from the signed-in frame's module (`handle.documentHead`), so public pages (booking, gift
  // cards) never download it: they have 90 KB of JavaScript to live within (issue 10).
  const shell = useRouteLoaderData<typeof appLoader>("routes/_app");
  const staff = Boolean(shell && !shell.user.isPatient);
  const StaffHead = useMatches()
    .map((m) => (m.handle as { documentHead?: ComponentType } | undefined)?.documentHead)
    .find(Boolean);
  return (
    <html lang="en" className="h-full bg-stone-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#245543" />
        <meta name="apple-mobile-web-app-capable" content="yes" />
        <meta name="apple-mobile-web-app-title" content="Atrium" />
        <Meta />
        <Links />
        {staff && StaffHead ? <StaffHead /> : null}
      </head>
      <body className="h-full text-stone-900 antialiased">
        {children}
        <OfflineForms />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return (
    <main className="mx-auto max-w-lg p-8">
      <GeneralErrorBoundary />
    </main>
  );
}
