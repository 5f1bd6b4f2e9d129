import { typeId } from '../../catalogue/index.js';

/**
 * The numeric type id a webhook `id` ends with: the event's v0.15 declaration-order position
 * (docs/stalwart.md §0, `auth.success` is 551). Undefined for a name v0.15 does not have.
 */
export function webhookTypeId(type: string): number | undefined {
  return typeId(type, '0.15');
}
