import { Form, NavLink, useLocation, useSubmit } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { CalendarDays, CircleUser, Receipt, ClipboardList, Hourglass, House, LayoutGrid, LogOut, FileCheck, FileText, Mail, Package, PanelLeftClose, PanelLeftOpen, ScrollText, Settings, Sun, User, Users, type LucideIcon, FileSignature, CreditCard, Gift } from "lucide-react";
import type { NavIcon, NavItem } from "./nav";
import { forgetOfflineKey } from "~/pwa/offline-key";
import { PatientFinder } from "~/patients/patient-finder";

interface ShellProps {
  user: { name: string; roleLabel: string };
  organizationName: string;
  /** Only when the user belongs to more than one organization. */
  organizations: { id: string; name: string }[];
  currentOrganizationId: string;
  nav: NavItem[];
  locations: { id: string; name: string }[];
  currentLocationId: string | null;
  children: ReactNode;
}

function SkipLink() {
  return (
    <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
      Skip to content
    </a>
  );
}

/** A select that switches on change with JavaScript, and with its button without. */
function Switcher({ action, name, label, options, current, light = false }: { action: string; name: string; label: string; options: { id: string; name: string }[]; current: string | null; light?: boolean }) {
  const submit = useSubmit();
  const { pathname, search } = useLocation();
  const id = `${name}-switcher`;
  return (
    <Form method="post" action={action} className="flex items-end gap-2" onChange={(e) => submit(e.currentTarget)}>
      <input type="hidden" name="redirectTo" value={pathname + search} />
      <div className="grow">
        <label htmlFor={id} className={`block text-xs font-medium uppercase tracking-wide ${light ? "text-stone-600" : "text-brand-100"}`}>
          {label}
        </label>
        <select id={id} name={name} defaultValue={current ?? undefined} className={`mt-1 block min-h-11 w-full rounded-lg border px-2 ${light ? "border-stone-400 bg-white text-stone-900" : "border-brand-600 bg-brand-800 text-white"}`}>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <noscript>
        <button type="submit" className={`min-h-11 rounded-lg border px-3 ${light ? "border-stone-400" : "border-brand-600 text-white"}`}>
          Switch
        </button>
      </noscript>
    </Form>
  );
}

function LocationSwitcher({ locations, currentLocationId }: Pick<ShellProps, "locations" | "currentLocationId">) {
  if (locations.length === 0) return null;
  return <Switcher action="/resources/location" name="locationId" label="Location" options={locations} current={currentLocationId} />;
}

const NAV_ICONS: Record<NavIcon, LucideIcon> = {
  today: Sun,
  "my-day": ClipboardList,
  schedule: CalendarDays,
  floor: LayoutGrid,
  patients: Users,
  inventory: Package,
  checkout: Receipt,
  templates: FileText,
  consents: FileSignature,
  reviews: FileCheck,
  waitlist: Hourglass,
  audit: ScrollText,
  outbox: Mail,
  settings: Settings,
  account: CircleUser,
  home: House,
  profile: User,
  cards: CreditCard,
  invoices: Receipt,
  "gift-cards": Gift,
};

function NavIconSvg({ icon }: { icon: NavIcon }) {
  const Icon = NAV_ICONS[icon];
  return <Icon aria-hidden="true" focusable="false" className="h-5 w-5 shrink-0" strokeWidth={1.75} />;
}

function NavItems({ items, className, itemClassName, labelClassName = "", end }: { items: NavItem[]; className: (active: boolean) => string; itemClassName?: string; labelClassName?: string; end?: boolean }) {
  return items.map((item) => (
    <li key={item.to} className={itemClassName}>
      <NavLink to={item.to} end={end} title={item.label} className={({ isActive }) => className(isActive)}>
        <NavIconSvg icon={item.icon} />
        <span className={labelClassName}>{item.label}</span>
      </NavLink>
    </li>
  ));
}

function SignOut({ className, icon = false }: { className: string; /** In the tablet rail: an icon, its name for screen readers. */ icon?: boolean }) {
  return (
    <Form method="post" action="/logout" onSubmit={forgetOfflineKey}>
      <button type="submit" className={className} title="Sign out">
        {icon ? <LogOut aria-hidden="true" className="hidden h-5 w-5 md:block xl:hidden" /> : null}
        <span className={icon ? "md:sr-only xl:not-sr-only" : ""}>Sign out</span>
      </button>
    </Form>
  );
}

/**
 * Desktop (1280 px and wider): a sidebar with labels. Tablets (768–1279 px, either orientation):
 * an icon rail, so the calendar and the floor get the width; "Open menu" widens it over the page
 * (labels, location, patient search, who is signed in). Phones: a top bar and scrollable tabs.
 * Without JavaScript the rail's icons are links with their names (tooltips and screen readers).
 */
export function StaffShell({ user, organizationName, organizations, currentOrganizationId, nav, locations, currentLocationId, children }: ShellProps) {
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  // Going somewhere closes the widened rail.
  useEffect(() => setOpen(false), [pathname]);
  // In the rail (tablet, closed), what needs room is hidden; on desktop and when open it shows.
  const full = open ? "" : "md:hidden xl:block";
  const label = open ? "" : "md:sr-only xl:not-sr-only";
  return (
    <div className="min-h-full md:flex">
      <SkipLink />
      {open ? (
        <>
          {/* Keeps the rail's place while the widened menu lies over the page. */}
          <div aria-hidden="true" className="hidden md:block md:w-[4.5rem] md:shrink-0 xl:hidden" />
          <div aria-hidden="true" className="fixed inset-0 z-30 hidden bg-stone-900/30 md:block xl:hidden" onClick={() => setOpen(false)} />
        </>
      ) : null}
      <aside
        data-rail={open ? "open" : "closed"}
        className={`bg-brand-700 text-white md:sticky md:top-0 md:flex md:h-screen md:shrink-0 md:flex-col xl:w-64 ${open ? "md:fixed md:left-0 md:z-40 md:w-72 md:shadow-xl xl:sticky xl:shadow-none" : "md:w-[4.5rem]"}`}
      >
        <div className={`flex items-center justify-between gap-2 px-4 py-3 md:py-5 ${open ? "" : "md:justify-center md:px-2 xl:justify-between xl:px-4"}`}>
          <div className={full}>
            <p className="text-xs font-semibold uppercase tracking-widest text-brand-100">Atrium</p>
            <p className="font-semibold">{organizationName}</p>
          </div>
          <button
            type="button"
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls="staff-menu"
            className="hidden min-h-12 min-w-12 items-center justify-center rounded-lg text-white hover:bg-brand-800 md:flex xl:hidden"
          >
            {open ? <PanelLeftClose aria-hidden="true" className="h-6 w-6" /> : <PanelLeftOpen aria-hidden="true" className="h-6 w-6" />}
            <span className="sr-only">{open ? "Close menu" : "Open menu"}</span>
          </button>
        </div>
        <div id="staff-menu" className={`space-y-3 px-4 pb-3 ${full}`}>
          {organizations.length > 1 ? <Switcher action="/resources/organization" name="organizationId" label="Organization" options={organizations} current={currentOrganizationId} /> : null}
          <LocationSwitcher locations={locations} currentLocationId={currentLocationId} />
          {nav.some((item) => item.to === "/patients") ? <PatientFinder /> : null}
        </div>
        <nav aria-label="Main" className="overflow-x-auto md:grow md:overflow-y-auto md:overflow-x-hidden">
          <ul className={`flex gap-1 px-2 pb-2 md:flex-col ${open ? "md:px-3" : "md:px-2 xl:px-3"}`}>
            <NavItems
              items={nav}
              labelClassName={label}
              className={(active) => `flex min-h-12 items-center gap-3 whitespace-nowrap rounded-lg px-3 font-medium ${open ? "" : "md:justify-center md:px-0 xl:justify-start xl:px-3"} ${active ? "bg-white text-brand-800" : "text-white hover:bg-brand-800"}`}
            />
          </ul>
        </nav>
        <div className={`hidden border-t border-brand-600 px-4 py-4 md:block ${open ? "" : "md:px-2 xl:px-4"}`}>
          <p className={`truncate text-sm font-medium ${full}`}>{user.name}</p>
          <p className={`text-xs text-brand-100 ${full}`}>{user.roleLabel}</p>
          <SignOut
            className={`mt-2 min-h-11 text-sm font-medium text-white underline ${open ? "" : "md:mt-0 md:flex md:w-full md:items-center md:justify-center md:no-underline xl:mt-2 xl:block xl:w-auto xl:underline"}`}
            icon={!open}
          />
        </div>
      </aside>
      <main id="main" className="min-w-0 grow px-4 py-6 md:px-6 xl:px-8">
        {children}
        <div className="mt-10 border-t border-stone-200 pt-4 md:hidden">
          <SignOut className="min-h-11 font-medium text-brand-700 underline" />
        </div>
      </main>
    </div>
  );
}

/** Patients are on phones: 360 px first, bottom navigation within thumb reach. */
export function PatientShell({ organizationName, organizations, currentOrganizationId, nav, children }: ShellProps) {
  return (
    <div className="min-h-full pb-20">
      <SkipLink />
      <header className="flex items-center justify-between bg-brand-700 px-4 py-3 text-white">
        <p className="font-semibold">{organizationName}</p>
        <SignOut className="min-h-11 text-sm font-medium underline" />
      </header>
      <main id="main" className="mx-auto max-w-xl px-4 py-5">
        {organizations.length > 1 ? (
          <div className="mb-4">
            <Switcher action="/resources/organization" name="organizationId" label="Clinic" options={organizations} current={currentOrganizationId} light />
          </div>
        ) : null}
        {children}
      </main>
      <nav aria-label="Main" className="fixed inset-x-0 bottom-0 border-t border-stone-200 bg-white">
        <ul className="mx-auto flex max-w-xl">
          <NavItems
            items={nav}
            itemClassName="flex-1"
            end
            className={(active) => `flex min-h-14 flex-col items-center justify-center text-sm ${active ? "font-semibold text-brand-700" : "text-stone-700"}`}
          />
        </ul>
      </nav>
    </div>
  );
}
