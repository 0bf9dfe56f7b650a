import { describe, expect, it } from "vitest";
import { planSearch } from "./search-query";

describe("planSearch", () => {
  it("reads a date of birth typed either way", () => {
    expect(planSearch("1986-04-12")).toEqual({ kind: "date_of_birth", date: "1986-04-12" });
    expect(planSearch("4/12/1986")).toEqual({ kind: "date_of_birth", date: "1986-04-12" });
    expect(planSearch("02/30/1986").kind).not.toBe("date_of_birth");
  });

  it("searches any run of three or more digits of a phone number, punctuation ignored", () => {
    expect(planSearch("(212) 555-0142")).toEqual({ kind: "text", match: 'phone_digits : "2125550142"', initials: [] });
    expect(planSearch("+1 212 555 0142")).toMatchObject({ match: 'phone_digits : "2125550142"' });
    expect(planSearch("555")).toMatchObject({ match: 'phone_digits : "555"' });
    expect(planSearch("55")).toEqual({ kind: "too_short" });
  });

  it("matches each word at the start of a name word or the email, one-letter words checked afterwards", () => {
    expect(planSearch("Mary-Jane o'Neil")).toEqual({ kind: "text", match: '{names email} : " mary" AND {names email} : " jane" AND {names email} : " oneil"', initials: [] });
    expect(planSearch("jordan a")).toEqual({ kind: "text", match: '{names email} : " jordan"', initials: ["a"] });
    expect(planSearch("j")).toEqual({ kind: "too_short" });
  });

  it("keeps what was typed literal inside the full-text query", () => {
    expect(planSearch('ab" OR names : "x')).toEqual({ kind: "text", match: '{names email} : " ab""" AND {names email} : " or" AND {names email} : " names" AND {names email} : " ""x"', initials: [":"] });
    expect(planSearch("jo@example.com")).toEqual({ kind: "text", match: 'email : " jo@example.com"', initials: [] });
  });
});
