/**
 * A National Provider Identifier is 10 digits whose last is a Luhn check digit computed over the
 * first nine with the prefix 80840 (CMS, "NPI Check Digit"). Checked so a mistyped NPI is caught
 * at the desk, not by the patient's insurer weeks later.
 */
export function validNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

/** An EIN as printed: 12-3456789. */
export const formatEin = (ein: string) => `${ein.slice(0, 2)}-${ein.slice(2)}`;
