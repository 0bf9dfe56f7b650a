import { ErrorList, Field } from "~/components/field";

/** Who signs a consent: their full name and whether they are the patient or a guardian (the consent page, and the chart offline). */
export function ConsentSignerFields({ id, patientName, errors = {} }: { id: string; patientName: string; errors?: { signerName?: string; signerRole?: string } }) {
  return (
    <>
      <Field label="Full name of the person signing" errors={errors.signerName ? [errors.signerName] : undefined} inputProps={{ id, name: "signerName", defaultValue: patientName, autoComplete: "name", required: true, maxLength: 120 }} />
      <fieldset>
        <legend className="text-sm font-medium text-stone-800">Signing as</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {[
            ["patient", "The patient"],
            ["guardian", "Parent or legal guardian"],
          ].map(([value, label]) => (
            <label key={value} className="flex min-h-11 items-center gap-2 rounded-lg border border-stone-300 px-3">
              <input type="radio" name="signerRole" value={value} defaultChecked={value === "patient"} className="h-5 w-5" /> {label}
            </label>
          ))}
        </div>
        <ErrorList id={`${id}-role-error`} errors={errors.signerRole ? [errors.signerRole] : undefined} />
      </fieldset>
    </>
  );
}
