import { ErrorList } from "~/components/field";
import { inputClass } from "~/components/ui";

/**
 * The fresh confirmation a signature asks for: the authenticator code for those who use one
 * (their password also works), else the password. Never remembered by the browser's autofill
 * as a sign-in (autocomplete current-password would offer the saved one to anyone at the tablet).
 */
export function SignerFields({ mfa, errors, offline = false }: { mfa: boolean; errors: Record<string, string>; offline?: boolean }) {
  // Offline (ADR 029): the signing PIN, checked on the tablet; the signature is applied when the chart syncs.
  if (offline)
    return (
      <div className="max-w-xs">
        <label htmlFor="signer-pin" className="block text-sm font-medium">Signing PIN</label>
        <input id="signer-pin" name="pin" type="password" inputMode="numeric" autoComplete="off" maxLength={6} className={inputClass} aria-invalid={errors.pin ? true : undefined} aria-describedby="signer-pin-hint" />
        <p id="signer-pin-hint" className="mt-1 text-sm text-stone-600">You're offline: sign with your six-digit PIN. The signature is applied when the chart syncs.</p>
      </div>
    );
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {mfa ? (
        <div>
          <label htmlFor="signer-code" className="block text-sm font-medium">Authenticator code</label>
          <input id="signer-code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={12} className={inputClass} aria-invalid={errors.code ? true : undefined} aria-describedby={errors.code ? "signer-code-error" : undefined} />
          <ErrorList id="signer-code-error" errors={errors.code ? [errors.code] : undefined} />
        </div>
      ) : null}
      <div>
        <label htmlFor="signer-password" className="block text-sm font-medium">{mfa ? "Or your password" : "Your password"}</label>
        <input id="signer-password" name="password" type="password" autoComplete="off" maxLength={200} className={inputClass} aria-invalid={errors.password ? true : undefined} aria-describedby={errors.password ? "signer-password-error" : undefined} />
        <ErrorList id="signer-password-error" errors={errors.password ? [errors.password] : undefined} />
      </div>
    </div>
  );
}
