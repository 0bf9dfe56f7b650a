import { describe, expect, it } from "vitest";
import { greetingName } from "./names";

describe("greeting people by name (issue 10)", () => {
  it("uses the first name, never a title or credentials", () => {
    expect(greetingName("Dr. Ana Ruiz, MD")).toBe("Ana");
    expect(greetingName("Dr Ana Ruiz")).toBe("Ana");
    expect(greetingName("Coralie Towne, RN")).toBe("Coralie");
    expect(greetingName("Asa Miller")).toBe("Asa");
    expect(greetingName("Dr. Ruiz")).toBe("Dr. Ruiz");
    expect(greetingName("  Madonna ")).toBe("Madonna");
  });
});
