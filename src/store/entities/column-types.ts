import type { ValueTransformer } from 'typeorm';

/**
 * `numeric` arrives as text (it may not fit a double); budgets and amounts
 * are read as numbers, as the repositories always did.
 */
export const numericAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** An interval as the driver gives it (postgres-interval), read as an ISO 8601 duration. */
interface DriverInterval {
  toISOString(): string;
}

/** `interval` written as an ISO 8601 duration (PostgreSQL reads those) and read back as one. */
export const intervalAsIsoDuration: ValueTransformer = {
  to: (value: string | null | undefined) => value,
  from: (value: DriverInterval | null) => (value === null ? null : value.toISOString()),
};
