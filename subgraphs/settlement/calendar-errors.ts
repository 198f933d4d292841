import { badUserInput } from '../../core';
import { SettlementCalendarError } from './settlement-calendar';

/**
 * Runs a settlement-calendar computation, turning its errors into BAD_USER_INPUT with the same reason code; `field`
 * (such as "volumes[3].utcStart") prefixes the message so the caller knows which value was wrong.
 */
export function usingCalendar<T>(compute: () => T, field?: string): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof SettlementCalendarError) throw badUserInput(error.reason, field ? `${field}: ${error.message}` : error.message);
    throw error;
  }
}
