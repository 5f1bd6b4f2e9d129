import { eventInfo } from '../../catalogue/index.js';

/**
 * The numeric type id a webhook `id` ends with: the event's v0.15 declaration-order position
 * (§0). Undefined for a name the catalogue does not know.
 */
export function webhookTypeId(type: string): number | undefined {
  return eventInfo(type)?.id;
}
