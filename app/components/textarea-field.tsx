import type { ReactNode, TextareaHTMLAttributes } from "react";
import { ErrorList } from "./field";
import { inputClass } from "./ui";

// Its own module: the patient booking pages import field.tsx and should not download this.
/** A labelled textarea with its field-level errors wired up for screen readers. */
export function TextareaField({ label, errors, textareaProps }: { label: ReactNode; errors?: string[]; textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string; name: string } }) {
  // Conform's props carry a React key, which must not be spread into JSX.
  const { key, ...rest } = textareaProps as typeof textareaProps & { key?: string };
  const errorId = `${textareaProps.id}-error`;
  return (
    <div>
      <label htmlFor={textareaProps.id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <textarea key={key} rows={5} {...rest} className={inputClass} aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? errorId : undefined} />
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}
