import { z, ZodIssueCode, type ZodErrorMap } from "zod";

/**
 * Zod's own wording ("Invalid enum value. Expected 'requested' | 'confirmed' …") reached people
 * wherever a schema had no message of its own (issue 10). Every schema that does say something
 * keeps its words; this only replaces the library's defaults, for every schema in the app, once.
 */
export const plainMessages: ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case ZodIssueCode.invalid_type:
      return { message: issue.received === "undefined" || issue.received === "null" ? "This is required." : "That value could not be read." };
    case ZodIssueCode.invalid_enum_value:
    case ZodIssueCode.invalid_literal:
    case ZodIssueCode.invalid_union:
    case ZodIssueCode.invalid_union_discriminator:
      return { message: "Choose one of the options offered." };
    case ZodIssueCode.too_small:
      if (issue.type === "string") return { message: issue.minimum === 1 ? "This is required." : `Use at least ${issue.minimum} characters.` };
      if (issue.type === "number") return { message: `Use a number of at least ${issue.minimum}.` };
      return { message: "Add a little more." };
    case ZodIssueCode.too_big:
      if (issue.type === "string") return { message: `Use at most ${issue.maximum} characters.` };
      if (issue.type === "number") return { message: `Use a number of at most ${issue.maximum}.` };
      return { message: "That is too many." };
    case ZodIssueCode.invalid_string:
      return { message: issue.validation === "email" ? "Enter an email address like name@example.com." : "That doesn't look right. Check it and try again." };
    case ZodIssueCode.invalid_date:
      return { message: "Use a real date." };
    case ZodIssueCode.not_multiple_of:
      return { message: "Use a whole number." };
    default:
      return { message: ctx.defaultError && !/^(Invalid|Expected|Required)/.test(ctx.defaultError) ? ctx.defaultError : "That value could not be read." };
  }
};

z.setErrorMap(plainMessages);
