import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { userLocations, type Role } from "../../db/schema";
import { seesAllLocations } from "./permissions";

/**
 * The staff member's locations, as a condition on a location column: owners and managers work
 * everywhere in their organization; everyone else only where they are assigned. (Patients are
 * scoped to their own records by the caller.) Used by every appointment read and write, so an id
 * from another location — in a URL or a form body — is simply not found.
 */
export function withinActorLocations(actor: { id: string; role: Role }, column: SQLiteColumn): SQL | undefined {
  if (seesAllLocations(actor.role) || actor.role === "patient") return undefined;
  return sql`${column} in (select ${userLocations.locationId} from ${userLocations} where ${userLocations.userId} = ${actor.id})`;
}
