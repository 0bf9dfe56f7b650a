import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { inputClass } from "./ui";

type Errors = string[] | undefined;

export function ErrorList({ id, errors }: { id: string; errors: Errors }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1 text-sm text-red-700">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/** A labelled input with its field-level errors wired up for screen readers. */
export function Field({
  label,
  hint,
  errors,
  inputProps,
}: {
  label: string;
  hint?: ReactNode;
  errors?: Errors;
  inputProps: InputHTMLAttributes<HTMLInputElement> & { id: string; name: string };
}) {
  // Conform's props carry a React key, which must not be spread into JSX.
  const { key, ...rest } = inputProps as typeof inputProps & { key?: string };
  const errorId = `${inputProps.id}-error`;
  const hintId = `${inputProps.id}-hint`;
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={inputProps.id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <input key={key} {...rest} className={inputClass} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy} />
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

export function SelectField({
  label,
  errors,
  selectProps,
  children,
}: {
  label: string;
  errors?: Errors;
  selectProps: SelectHTMLAttributes<HTMLSelectElement> & { id: string; name: string };
  children: ReactNode;
}) {
  const errorId = `${selectProps.id}-error`;
  // Conform's props carry a React key, which must not be spread into JSX.
  const { key, ...rest } = selectProps as typeof selectProps & { key?: string };
  return (
    <div>
      <label htmlFor={selectProps.id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <select key={key} {...rest} className={inputClass} aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? errorId : undefined}>
        {children}
      </select>
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

export function FormErrors({ errors }: { errors: Errors }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-red-900">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

