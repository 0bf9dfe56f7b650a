export * from "./tenancy";
export * from "./accounts";
export * from "./patients";
export * from "./audit";
export * from "./outbox";
export * from "./scheduling";
export * from "./waitlist";
export * from "./board";
