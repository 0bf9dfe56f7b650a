import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "read:organization:organization");
  return data(null, { headers: NO_STORE });
}

const TABS = [
  { to: "/settings/organization", label: "Organization" },
  { to: "/settings/locations", label: "Locations & rooms" },
  { to: "/settings/services", label: "Services" },
  { to: "/settings/staff", label: "Staff" },
  { to: "/settings/billing", label: "Billing" },
];

export default function SettingsLayout() {
  return (
    <>
      <nav aria-label="Settings" className="mb-6 border-b border-stone-200">
        <ul className="flex gap-1 overflow-x-auto">
          {TABS.map((t) => (
            <li key={t.to}>
              <NavLink to={t.to} className={({ isActive }) => `inline-flex min-h-12 items-center border-b-2 px-4 font-medium ${isActive ? "border-brand-700 text-brand-800" : "border-transparent text-stone-700"}`}>
                {t.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
