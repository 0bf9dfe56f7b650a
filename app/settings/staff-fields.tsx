import type { FieldMetadata } from "@conform-to/react";
import { getSelectProps } from "@conform-to/react";
import { SelectField } from "~/components/field";
import { ROLE_LABELS } from "~/auth/permissions";
import { STAFF_ROLES } from "../../db/schema/accounts";

export function RoleSelect({ field, allowOwner }: { field: FieldMetadata<string>; allowOwner: boolean }) {
  return (
    <SelectField label="Role" errors={field.errors} selectProps={getSelectProps(field)}>
      <option value="">Choose…</option>
      {STAFF_ROLES.filter((r) => allowOwner || r !== "owner").map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
    </SelectField>
  );
}

export function LocationChecks({ field, locations, selected }: { field: FieldMetadata<string[]>; locations: { id: string; name: string }[]; selected: string[] }) {
  return (
    <fieldset aria-describedby={field.errors?.length ? `${field.id}-error` : undefined}>
      <legend className="text-sm font-medium">Works at</legend>
      {locations.map((l) => (
        <label key={l.id} className="flex min-h-11 items-center gap-3">
          <input type="checkbox" name={field.name} value={l.id} defaultChecked={selected.includes(l.id)} className="h-5 w-5" /> {l.name}
        </label>
      ))}
      {field.errors?.length ? <p id={`${field.id}-error`} className="text-sm text-red-700">{field.errors.join(" ")}</p> : null}
    </fieldset>
  );
}
