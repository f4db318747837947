/**
 * How many attempts a message or webhook gets before the journey holds its
 * step for an operator (the delivery profile's `maximumAttempts`). The
 * message activities read it too: a failure on the last attempt must not say
 * that a next attempt will send it, because none comes until an operator
 * retries the step.
 */
export const DELIVERY_MAX_ATTEMPTS = 10;
